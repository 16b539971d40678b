import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactionWork } from '@jts/core/internal';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { keyBoundSecret, plantedTree, textWithSecret } from '../../../test/support/planted-secrets.js';
import { createLogger } from '../src/index.js';

const MAX_STRING = 512;
const LOOKAHEAD = 1024;
const directory = mkdtempSync(join(tmpdir(), 'jts-log-secrets-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('no planted secret reaches the log file (property)', () => {
  it('arbitrary nested objects, strings and errors: every call returns, every line parses, nothing planted appears, the work is bounded', async () => {
    const file = join(directory, 'app.log');
    const log = createLogger({
      serviceName: 'secrets',
      operations: false,
      sync: true,
      maxStringLength: MAX_STRING,
      destination: { file },
    });
    let offset = 0;
    const appended = () => {
      const text = readFileSync(file, 'utf8').slice(offset);
      offset += text.length;
      return text;
    };
    try {
      fc.assert(
        fc.property(plantedTree(1000), textWithSecret, keyBoundSecret, fc.nat(3), (tree, message, bound, shape) => {
          const before = redactionWork();
          const [key, secret] = bound.value;
          if (shape === 0) log.info({ data: tree.value }, message.value);
          else if (shape === 1)
            log.error(tree.value instanceof Error ? tree.value : new Error(message.value, { cause: tree.value }));
          else if (shape === 2)
            log.child({ session: { [key]: secret } }).warn({ data: tree.value, [key]: secret }, message.value);
          else log.warn(message.value);
          const after = redactionWork();
          const text = appended();
          const lines = text.split('\n').filter(Boolean);
          expect(lines).toHaveLength(1);
          for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
          for (const planted of [...tree.forbidden, ...message.forbidden, ...bound.forbidden])
            expect(text).not.toContain(planted);
          // Bounded: each string scanned costs at most 30 reads per character of its bounded
          // length, and the strings and containers visited are those of the value (at most
          // maxItems per collection) plus the line's own, whatever the size of the input.
          const strings = after.strings - before.strings;
          expect(strings).toBeLessThanOrEqual(3 * tree.strings + 40);
          expect(after.nodes - before.nodes).toBeLessThanOrEqual(2 * tree.nodes + 10);
          expect(after.reads - before.reads).toBeLessThanOrEqual(30 * (MAX_STRING + LOOKAHEAD) * strings);
        }),
        { numRuns: 150 },
      );
    } finally {
      await log.close();
    }
    expect(statSync(file).size).toBeGreaterThan(0);
  });
});
