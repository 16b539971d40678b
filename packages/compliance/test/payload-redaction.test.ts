import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditTrail } from '../src/index.js';
import { keyPair, tempDir } from './support/temp.js';

function payloads(directory: string): Record<string, unknown>[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as { type: string; payload: Record<string, unknown> })
    .filter((record) => record.type === 'test.payload')
    .map((record) => record.payload);
}

describe('audit payloads bounded and redacted by the one walker', () => {
  it('a Map is recorded field by field, an Error as an ECS error object, an IBAN in free text masked', async () => {
    const directory = tempDir();
    const audit = createAuditTrail({ directory, signingKey: keyPair().privateKey, checkpointIntervalMs: 0 });
    await audit.record({
      type: 'test.payload',
      payload: {
        notes: new Map([
          ['apiKey', 'k-1'],
          ['memo', 'refund to GB29 NWBK 6016 1331 9268 19'],
        ]),
        error: new Error('card 4111 1111 1111 1111 declined'),
      },
    });
    await audit.close();
    const [payload] = payloads(directory);
    expect(payload?.notes).toEqual({ apiKey: '[REDACTED]', memo: 'refund to ************6819' });
    expect(payload?.error).toMatchObject({ type: 'Error', message: 'card ************1111 declined' });
  });

  it('strings, keys and collections are bounded before they are redacted (they were written whole)', async () => {
    const directory = tempDir();
    const audit = createAuditTrail({ directory, signingKey: keyPair().privateKey, checkpointIntervalMs: 0 });
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 'last';
    await audit.record({
      type: 'test.payload',
      actor: `u-${'a'.repeat(100_000)}`,
      payload: { text: `${'x'.repeat(1 << 20)}`, sparse, [`${'k'.repeat(1 << 20)}`]: 1 },
    });
    await audit.close();
    const [payload] = payloads(directory);
    expect(payload?.text).toBe(`${'x'.repeat(16_384)}...[truncated ${(1 << 20) - 16_384} chars]`);
    expect(payload?.sparse).toHaveLength(1001);
    expect(Object.keys(payload ?? {})).toContain(`${'k'.repeat(1024)}...[truncated ${(1 << 20) - 1024} chars]`);
    const size = readdirSync(directory)
      .filter((name) => name.endsWith('.jsonl'))
      .reduce((total, name) => total + readFileSync(join(directory, name)).length, 0);
    expect(size).toBeLessThan(64 * 1024);
  });

  it('values JSON cannot carry are still refused (BigInt, NaN, cycles), nothing is recorded', async () => {
    const directory = tempDir();
    const audit = createAuditTrail({ directory, signingKey: keyPair().privateKey, checkpointIntervalMs: 0 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const payload of [{ n: 1n }, { n: Number.NaN }, cyclic]) {
      await expect(audit.record({ type: 'test.payload', payload })).rejects.toMatchObject({
        code: 'JTS_ERR_INVALID_ARGUMENT',
      });
    }
    await audit.close();
    expect(payloads(directory)).toEqual([]);
  });
});
