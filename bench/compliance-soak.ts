// Crash soak for the audit trail: a writer process (16 concurrent writers) is SIGKILLed at random
// points, again and again; after every kill the trail must verify up to at least the last record
// the process saw resolve, and reopening must continue the chain. Not run by the tests.
//   JTS_SOAK_MINUTES=10 node --import tsx bench/compliance-soak.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAuditKeyPair, verifyAuditTrail } from '../packages/compliance/dist/index.js';

const minutes = Number(process.env.JTS_SOAK_MINUTES ?? 2);
const fixture = fileURLToPath(
  new URL('../packages/compliance/test/integration/fixtures/crash-writer.ts', import.meta.url),
);
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'jts-audit-soak-'));
const directory = join(work, 'trail');
const keys = generateAuditKeyPair();
const keyFile = join(work, 'key.pem');
writeFileSync(keyFile, keys.privateKeyPem);

function runAndKill(afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, directory, keyFile], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let max = 0;
    let rest = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop()!;
      for (const line of lines) max = Math.max(max, Number(line));
      timer ??= setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(max);
      else reject(new Error('writer exited on its own'));
    });
  });
}

const end = Date.now() + minutes * 60_000;
let kills = 0;
let failures = 0;
while (Date.now() < end) {
  const resolved = await runAndKill(20 + Math.floor(Math.random() * 1000));
  const result = await verifyAuditTrail(directory, keys.publicKeyPem);
  kills += 1;
  if (!result.ok || result.lastSeq < resolved) {
    failures += 1;
    console.error(`kill ${kills}: FAILED`, { resolved, lastSeq: result.lastSeq, problem: result.problem });
  } else if (kills % 10 === 0)
    console.log(
      `kill ${kills}: ok, ${result.records} records, last seq ${result.lastSeq} >= resolved ${resolved}${result.torn ? ', torn tail' : ''}`,
    );
}
console.log(`${kills} kills, ${failures} failures`);
rmSync(work, { recursive: true, force: true });
process.exitCode = failures > 0 ? 1 : 0;
