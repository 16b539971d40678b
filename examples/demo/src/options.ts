import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** What one demo run does. */
export interface DemoOptions {
  /** How long the synthetic order flow runs before the story is told. */
  readonly durationSeconds: number;
  /** Also start Prometheus and Alertmanager, and keep everything running until Ctrl-C. */
  readonly stack: boolean;
  /** Where logs, audit trails, keys, spans and metric snapshots go. */
  readonly directory: string;
}

/** The usage text of `npm run demo -- --help`. */
export const USAGE = `usage: npm run demo -- [--duration <seconds>] [--stack] [--dir <directory>]

  --duration <s>  how long the synthetic order flow runs (default 60; env JTS_DEMO_DURATION)
  --stack         also start Prometheus and Alertmanager (Debian packages prometheus and
                  prometheus-alertmanager) with the configs of infra/, and keep running until Ctrl-C
  --dir <path>    where the run's files go, a new or empty directory (default: a new one under the
                  system's temp dir)`;

/**
 * Reads the command line (and `JTS_DEMO_DURATION`); throws with the usage on a bad flag.
 *
 * @param argv - the arguments after the script
 * @param env - the environment
 * @returns the options, or undefined for `--help`
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DemoOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      stack: { type: 'boolean', default: false },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const text = values.duration ?? (env.JTS_DEMO_DURATION || '60');
  const durationSeconds = Number(text);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0 || durationSeconds > 86_400) {
    throw new Error(
      `${values.duration === undefined ? 'JTS_DEMO_DURATION' : '--duration'}=${text}: expected seconds, more than 0\n\n${USAGE}`,
    );
  }
  const directory = values.dir === undefined ? mkdtempSync(join(tmpdir(), 'jts-demo-')) : resolve(values.dir);
  // A run's audit trails are signed with keys made for that run: a second run in the same
  // directory would continue trails signed with other keys.
  if (existsSync(directory) && readdirSync(directory).length > 0)
    throw new Error(`--dir ${directory}: not empty; give a new or empty directory`);
  return { durationSeconds, stack: values.stack ?? false, directory };
}
