import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, closeLoggers, expectValidLines } from './helpers/capture.js';

afterEach(closeLoggers);

describe('log fields bounded and redacted by the one walker', () => {
  it('a Map is written field by field, redacted by key and by value (it was {})', () => {
    const { log, capture } = captureLogger();
    log.info(
      {
        notes: new Map<string, unknown>([
          ['password', 'hunter2'],
          ['refund', 'to GB29 NWBK 6016 1331 9268 19'],
          ['qty', 5],
        ]),
        tags: new Set(['a', 'b']),
      },
      'map',
    );
    const [line] = expectValidLines(capture);
    expect(line?.notes).toEqual({ password: '[REDACTED]', refund: 'to ************6819', qty: 5 });
    expect(line?.tags).toEqual(['a', 'b']);
  });

  it('IBANs in the message and in any string are masked (mod-97 checked)', () => {
    const { log, capture } = captureLogger();
    log.info({ note: 'refund DE89370400440532013000' }, 'payment reference DE89 3704 0044 0532 0130 00 received');
    const [line] = expectValidLines(capture);
    expect(line?.message).toBe('payment reference ************3000 received');
    expect(line?.note).toBe('refund ************3000');
  });

  it('a 10 MB key is cut at the key limit (it gave a 10 MB line), nested or at the top, and its value is still classified', () => {
    const { log, capture } = captureLogger({ maxStringLength: 256 });
    const key = `${'k'.repeat(10 * 1024 * 1024)}_password`;
    log.info({ [key]: 'top-secret', nested: { [key]: 'nested-secret' } }, 'huge key');
    const raw = capture.raw.join('');
    expect(raw.length).toBeLessThan(2000);
    expect(raw).not.toMatch(/top-secret|nested-secret/);
    const [line] = expectValidLines(capture);
    const cut = `${'k'.repeat(256)}...[truncated ${key.length - 256} chars]`;
    expect(line?.[cut]).toBe('[REDACTED]');
    expect(line?.nested).toEqual({ [cut]: '[REDACTED]' });
  });

  it('a sparse array of length 2^32-1 is written as its first maxItems entries (it walked every index)', () => {
    const { log, capture } = captureLogger();
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 'last';
    sparse[1] = 'card 4111 1111 1111 1111';
    log.info({ sparse }, 'sparse');
    const [line] = expectValidLines(capture);
    const written = line?.sparse as unknown[];
    expect(written).toHaveLength(1001);
    expect(written.slice(0, 3)).toEqual([null, 'card ************1111', null]);
    expect(written[1000]).toBe(`[truncated ${2 ** 32 - 1 - 1000} items]`);
  });
});
