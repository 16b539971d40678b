import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runWithContext } from '@jts/core';
import { redactionWork } from '@jts/core/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyBoundSecret, plantedTree, textWithSecret } from '../../../test/support/planted-secrets.js';
import { createAuditTrail, verifyAuditTrail } from '../src/index.js';
import { keyPair, tempDir } from './support/temp.js';

const MAX_STRING = 16_384;
const LOOKAHEAD = 1024;

/** Everything in the trail's files (records and checkpoints). */
function trailText(directory: string): string {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => readFileSync(join(directory, name), 'utf8'))
    .join('');
}

describe('no planted secret reaches the audit files (property)', () => {
  it('arbitrary payloads, actors and trading fields: every record is durable, every line parses, nothing planted appears, the work is bounded', async () => {
    const directory = tempDir();
    const checkpointFile = join(tempDir(), 'checkpoints.jsonl');
    const { privateKey, publicKey } = keyPair();
    const audit = createAuditTrail({
      directory,
      signingKey: privateKey,
      checkpointEvery: 25,
      checkpointIntervalMs: 0,
      checkpointFile,
    });
    let offset = 0;
    let records = 0;
    try {
      await fc.assert(
        fc.asyncProperty(plantedTree(1000), textWithSecret, keyBoundSecret, async (tree, note, bound) => {
          const [key, secret] = bound.value;
          const before = redactionWork();
          const receipt = await runWithContext({ correlationId: 'corr-audit-1', accountId: 'ACC-12345678' }, () =>
            audit.record({
              type: 'test.secret',
              actor: note.value,
              payload: { data: tree.value, [key]: secret, note: note.value },
            }),
          );
          const after = redactionWork();
          records++;
          expect(receipt.seq).toBeGreaterThan(0);
          const text = trailText(directory).slice(offset);
          offset += text.length;
          for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
          for (const planted of [...tree.forbidden, ...note.forbidden, ...bound.forbidden])
            expect(text).not.toContain(planted);
          const strings = after.strings - before.strings;
          expect(strings).toBeLessThanOrEqual(tree.strings + 20);
          expect(after.nodes - before.nodes).toBeLessThanOrEqual(tree.nodes + 5);
          expect(after.reads - before.reads).toBeLessThanOrEqual(30 * (MAX_STRING + LOOKAHEAD) * strings);
        }),
        { numRuns: 100 },
      );
    } finally {
      await audit.close();
    }
    const everything = `${trailText(directory)}${readFileSync(checkpointFile, 'utf8')}`;
    expect(everything).toContain('"trading.account_id":"*******5678"');
    expect(await verifyAuditTrail(directory, publicKey)).toMatchObject({
      ok: true,
      records: records + audit.stats().checkpoints,
    });
  });
});
