import { spawnSync } from 'node:child_process';

/** Result of `promtool check metrics` on a text fed through stdin. */
export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs `promtool check metrics` with the exposition on stdin. */
export function promtoolCheckMetrics(promtool: string, exposition: string): PromtoolResult {
  const result = spawnSync(promtool, ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
