// Start-up measurement shared by the start-up benchmarks: each variant runs in fresh Node
// processes (node --expose-gc), the variants interleaved run by run so a busy moment of the machine
// hits all of them alike; reported per variant: the median wall time of its code and the median
// heap after two forced GCs.
import { spawnSync } from 'node:child_process';

/** One variant: `prelude` runs untimed, `code` is timed and may define `close()` (awaited after the heap is read). */
export interface FreshProcessVariant {
  readonly prelude?: string;
  readonly code: string;
}

export interface FreshProcessFigures {
  readonly elapsedMs: number;
  readonly heapBytes: number;
}

const script = ({ prelude = '', code }: FreshProcessVariant) => `${prelude}
const started = performance.now();
let close;
${code}
const elapsed = performance.now() - started;
globalThis.gc(); globalThis.gc();
const heap = process.memoryUsage().heapUsed;
await close?.();
console.log(JSON.stringify({ elapsed, heap }));
`;

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Runs every variant `runs` times, each in a fresh ESM process started in `cwd`.
 *
 * @returns the median figures per variant
 * @throws when a process fails (its stderr in the message)
 */
export function measureFreshProcesses<V extends string>(
  variants: Record<V, FreshProcessVariant>,
  options: { runs: number; cwd: string; env?: NodeJS.ProcessEnv },
): Record<V, FreshProcessFigures> {
  const names = Object.keys(variants) as V[];
  const samples = new Map<V, { elapsed: number; heap: number }[]>(names.map((name) => [name, []]));
  for (let run = 0; run < options.runs; run++) {
    for (const name of names) {
      const out = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script(variants[name])], {
        encoding: 'utf8',
        cwd: options.cwd,
        env: options.env ?? process.env,
      });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      samples.get(name)?.push(JSON.parse(out.stdout.trim().split('\n').at(-1) ?? ''));
    }
  }
  const figures = {} as Record<V, FreshProcessFigures>;
  for (const [name, list] of samples)
    figures[name] = {
      elapsedMs: median(list.map((sample) => sample.elapsed)),
      heapBytes: median(list.map((sample) => sample.heap)),
    };
  return figures;
}
