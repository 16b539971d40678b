import { spawnSync } from 'node:child_process';

/** What a command-line tool printed and how it exited. */
export interface ToolResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs promtool or amtool synchronously and returns its exit status with stdout and stderr together
 * (both tools print their verdicts on either stream).
 */
export function runTool(binary: string, args: readonly string[], cwd?: string): ToolResult {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
