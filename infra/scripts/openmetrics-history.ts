import { createWriteStream } from 'node:fs';
import type { HistoryFamily } from './synthetic-desk.js';

const HOUR = 3600;

// Deterministic per-series phase, so every window file continues the same curves.
const phase = (index: number) => (index * 2.399963) % (2 * Math.PI);

/** A counter's value at `t` seconds after the history starts: monotonic, its rate swinging ±4% over two hours. */
function counterAt(rate: number, t: number, index: number): number {
  return Math.floor(rate * t + (rate * 600 * (1 - Math.cos(t / (2 * HOUR) + phase(index)))) / 2);
}

function gaugeAt(level: number, t: number, index: number): number {
  return Number((level * (1 + 0.1 * Math.sin(t / (6 * HOUR) + phase(index)))).toFixed(3));
}

const labelText = (labels: Record<string, string>, extra = '') => {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  if (extra) pairs.push(extra);
  return `{${pairs.join(',')}}`;
};

/**
 * Writes the samples of `[from, to)` (Unix seconds, every `interval` seconds) of the families as an
 * OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`: one `# TYPE` per family,
 * each series' samples in time order, `# EOF` at the end. Counters grow at their `rate`,
 * histograms spread their count over the buckets with a fixed distribution (half of the
 * observations under the middle bound), gauges swing ±10% around their level.
 *
 * @returns the number of samples written
 */
export async function writeOpenMetricsWindow(
  path: string,
  families: readonly HistoryFamily[],
  origin: number,
  from: number,
  to: number,
  interval: number,
): Promise<number> {
  const out = createWriteStream(path);
  // One growing string written every few MB: much cheaper than an array of small strings.
  let buffer = '';
  const chunk = {
    push: (...lines: string[]) => void (buffer += lines.join('')),
    get length() {
      return buffer.length;
    },
  };
  let samples = 0;
  const flush = async () => {
    if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    buffer = '';
  };
  const times: number[] = [];
  for (let t = from; t < to; t += interval) times.push(t);
  let index = 0;
  for (const family of families) {
    chunk.push(`# TYPE ${family.name.replace(/_total$/, '')} ${family.type}\n`);
    for (const labels of family.labelSets) {
      index++;
      if (family.type === 'gauge') {
        const text = `${family.name}${labelText(labels)} `;
        for (const t of times) buffer += `${text}${gaugeAt(family.rate, t - origin, index)} ${t}\n`;
        samples += times.length;
      } else if (family.type === 'counter') {
        const text = `${family.name}${labelText(labels)} `;
        for (const t of times) buffer += `${text}${counterAt(family.rate, t - origin, index)} ${t}\n`;
        samples += times.length;
      } else {
        const bounds = family.buckets!;
        const shares = bounds.map((_, i) => Math.min(1, 0.02 + (0.96 * (i + 1)) / bounds.length));
        const counts = times.map((t) => counterAt(family.rate, t - origin, index));
        bounds.forEach((bound, i) => {
          const text = `${family.name}_bucket${labelText(labels, `le="${bound}"`)} `;
          times.forEach((t, k) => {
            buffer += `${text}${Math.floor(counts[k]! * shares[i]!)} ${t}\n`;
          });
        });
        const inf = `${family.name}_bucket${labelText(labels, 'le="+Inf"')} `;
        const count = `${family.name}_count${labelText(labels)} `;
        const sum = `${family.name}_sum${labelText(labels)} `;
        const mean = bounds[Math.floor(bounds.length / 2)]!;
        for (const [prefix, value] of [
          [inf, 1],
          [count, 1],
          [sum, mean],
        ] as const) {
          times.forEach((t, k) => {
            buffer += `${prefix}${counts[k]! * value} ${t}\n`;
          });
        }
        samples += times.length * (bounds.length + 3);
      }
      if (chunk.length > 4_000_000) await flush();
    }
  }
  chunk.push('# EOF\n');
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return samples;
}
