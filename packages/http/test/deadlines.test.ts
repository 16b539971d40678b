import { describe, expect, it } from 'vitest';
import { Deadlines, type Timed } from '../src/internal/deadlines.js';

interface Expiry {
  readonly name: string;
  readonly at: number;
  readonly deadline: number;
}

function item(name: string, expired: Expiry[], fail = false): Timed {
  const timed: Timed = {
    deadline: 0,
    newer: undefined,
    older: undefined,
    expire() {
      expired.push({ name, at: performance.now(), deadline: timed.deadline });
      if (fail) throw new Error(`${name} failed`);
    },
  };
  return timed;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 5000; waited += 10) await sleep(10);
}
const names = (expired: Expiry[]) => expired.map((each) => each.name);

describe('Deadlines (one clock for the open requests of an adapter)', () => {
  it('expires what is still open, in start order, never before its deadline, and nothing removed', async () => {
    const deadlines = new Deadlines(40);
    const expired: Expiry[] = [];
    const items = ['a', 'b', 'c', 'd', 'e'].map((name) => item(name, expired));
    for (const each of items) deadlines.add(each);
    deadlines.remove(items[0]!); // the oldest
    deadlines.remove(items[2]!); // one in the middle
    deadlines.remove(items[4]!); // the newest
    deadlines.remove(items[4]!); // twice: harmless
    await until(() => expired.length >= 2);
    await sleep(60); // room for a wrong third expiry
    expect(names(expired)).toEqual(['b', 'd']);
    for (const each of expired) expect(each.at).toBeGreaterThanOrEqual(each.deadline);
  });

  it('gives an item added later its own deadline, under the same timer', async () => {
    const deadlines = new Deadlines(50);
    const expired: Expiry[] = [];
    deadlines.add(item('first', expired));
    await sleep(30);
    deadlines.add(item('second', expired));
    await until(() => expired.length >= 2);
    expect(names(expired)).toEqual(['first', 'second']);
    expect(expired[1]!.deadline - expired[0]!.deadline).toBeGreaterThanOrEqual(25);
    for (const each of expired) expect(each.at).toBeGreaterThanOrEqual(each.deadline);
  });

  it('keeps expiring the others when one expiry throws, and can be used again once empty', async () => {
    const deadlines = new Deadlines(20);
    const expired: Expiry[] = [];
    deadlines.add(item('throws', expired, true));
    deadlines.add(item('after', expired));
    await until(() => expired.length >= 2);
    expect(names(expired)).toEqual(['throws', 'after']);
    deadlines.add(item('again', expired));
    await until(() => expired.length >= 3);
    expect(names(expired)).toEqual(['throws', 'after', 'again']);
  });

  it('does not keep the process alive (its timer is unref-ed)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const source = fileURLToPath(new URL('../src/internal/deadlines.ts', import.meta.url));
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { Deadlines } = await import(${JSON.stringify(source)}); new Deadlines(60_000).add({ expire() {} });`,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    // Held alive by the timer, the child would run for a minute and be killed at 20 s (status null).
    expect(child.status, child.stderr).toBe(0);
  });
});
