import { createHash, generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../src/index.js';
import { toPlainJson } from '../src/internal/canonical-json.js';
import { type ChainHead, GENESIS_HASH, buildRecord } from '../src/internal/record-builder.js';

const { publicKey } = generateKeyPairSync('ed25519');

describe('records built from arbitrary payloads (property-based)', () => {
  it('hash the RFC 8785 form of the parsed line, and verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 }), { minLength: 1, maxLength: 8 }),
        fc.string({ unit: 'binary' }),
        async (payloads, actor) => {
          let head: ChainHead = { seq: 0, hash: GENESIS_HASH, micros: 0 };
          let data = '';
          for (const payload of payloads) {
            const record = buildRecord(head, {
              type: 'test.prop',
              ts: '2026-01-02T14:30:00.000001Z',
              actor,
              payload: toPlainJson(payload),
            });
            const { hash, ...body } = JSON.parse(record.line) as Record<string, unknown>;
            expect(createHash('sha256').update(canonicalize(body)!).digest('hex')).toBe(hash);
            expect(body.payload).toEqual(toPlainJson(payload));
            data += record.line;
            head = { seq: record.seq, hash: record.hash, micros: 0 };
          }
          const result = await verifyAuditTrail({ name: 'prop', data }, publicKey);
          expect(result).toMatchObject({ ok: true, records: payloads.length });
        },
      ),
      { numRuns: 200 },
    );
  });
});
