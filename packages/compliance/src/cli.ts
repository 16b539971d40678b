#!/usr/bin/env node
import { runAuditCli } from './internal/cli-main.js';

runAuditCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`jts-audit: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 3;
  },
);
