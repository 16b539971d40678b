import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail } from '@jts/compliance';
import { createLogger } from '@jts/log';
import { createTradingMetrics } from '@jts/metrics';
import { initTracing } from '@jts/trace';
import { afterAll, describe, expect, it } from 'vitest';
import { orderExecution } from '@jts/core';
import { parseExposition } from '../packages/metrics/test/support/parse-exposition.js';
import { startOtlpReceiver } from '../packages/trace/test/support/otlp-receiver.js';

// One value of each kind the policy recognises by value, as a careless caller would pass it (under
// keys that are not sensitive themselves: a key like `iban` would mask the whole value).
const VALUES: Readonly<Record<string, string>> = {
  card: 'paid with 4111-1111-1111-1111',
  refund: 'refund to DE89 3704 0044 0532 0130 00',
  jwt: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
  bearer: 'Authorization: Bearer mF_9.B5f-4.1JqM',
  basic: 'Basic dXNlcjpwYXNzd29yZA==',
  url: 'postgres://trader:s3cret@db:5432/orders',
  plain: 'AAPL buy 100 @ 189.50',
};
const directory = mkdtempSync(join(tmpdir(), 'jts-consistency-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('one value, four signals, one result', () => {
  it('a string is redacted identically in a log line, a span attribute, a metric label and an audit payload; a nested value identically in a log line and an audit payload', async () => {
    const lines: string[] = [];
    const log = createLogger({
      serviceName: 'consistency',
      operations: false,
      destination: { stream: { write: (line: string) => void lines.push(line) } },
    });
    const receiver = await startOtlpReceiver();
    const tracing = initTracing({
      serviceName: 'consistency',
      env: {},
      instrumentFetch: false,
      otlp: { url: receiver.url },
    });
    const metrics = createTradingMetrics({ defaultMetrics: false, operations: false, strict: false });
    const audit = createAuditTrail({
      directory,
      signingKey: generateKeyPairSync('ed25519').privateKey,
      checkpointIntervalMs: 0,
    });
    const nested = {
      order: {
        id: 'o-1',
        notes: new Map<string, unknown>([
          ['iban', 'GB29NWBK60161331926819'],
          ['memo', VALUES.card],
        ]),
        password: 'hunter2',
        legs: [VALUES.jwt],
      },
    };
    try {
      log.info({ ...VALUES, nested }, 'values');
      tracing.tracer.startSpan('values', { attributes: { ...VALUES } }).end();
      for (const [name, value] of Object.entries(VALUES))
        metrics.setStrategyPnl({ strategyId: `${name}: ${value}` }, 1);
      await audit.record({ type: 'test.values', payload: { ...VALUES, nested } });
      await tracing.forceFlush();

      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      const attributes = receiver.spans.find((candidate) => candidate.name === 'values')!.attributes;
      const labels = new Map(
        parseExposition(await metrics.metrics())
          .samples.filter((sample) => sample.name === 'strategy_pnl')
          .map((sample) => {
            const label = sample.labels.strategy_id!;
            return [label.slice(0, label.indexOf(': ')), label.slice(label.indexOf(': ') + 2)];
          }),
      );
      const file = readdirSync(directory).find((name) => name.endsWith('.jsonl'))!;
      const record = readFileSync(join(directory, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((text) => JSON.parse(text) as { type: string; payload: Record<string, unknown> })
        .find((candidate) => candidate.type === 'test.values')!;

      for (const name of Object.keys(VALUES)) {
        const logged = line[name];
        expect({ name, span: attributes[name], label: labels.get(name), audit: record.payload[name] }).toEqual({
          name,
          span: logged,
          label: logged,
          audit: logged,
        });
        if (name !== 'plain') expect(logged).not.toBe(VALUES[name]);
      }
      expect(line.plain).toBe(VALUES.plain);
      expect(record.payload.nested).toEqual(line.nested);
      expect(line.nested).toEqual({
        order: {
          id: 'o-1',
          notes: { iban: '************6819', memo: 'paid with ************1111' },
          password: '[REDACTED]',
          legs: ['token [REDACTED]'],
        },
      });
    } finally {
      await log.close();
      await tracing.shutdown();
      metrics.close();
      await audit.close();
      await receiver.close();
    }
  });

  it('writes a correlation ID in the generated form as it is in the log line, the span and the audit record; any other is redacted like a value', async () => {
    // A version 4 UUID whose first 16 digits (8-4-4) pass the Luhn check: the card-number
    // recogniser alone would mask it. About 1 in 9,000 generated IDs look like this.
    const generatedForm = '59451051-1820-4779-a20c-09bf7f1ac507';
    const cardShaped = '4111111111111111';
    const lines: string[] = [];
    const log = createLogger({
      serviceName: 'consistency',
      operations: ['order.execution'],
      destination: { stream: { write: (line: string) => void lines.push(line) } },
    });
    const receiver = await startOtlpReceiver();
    const tracing = initTracing({
      serviceName: 'consistency',
      env: {},
      instrumentFetch: false,
      otlp: { url: receiver.url },
    });
    const trail = join(directory, 'correlation');
    const audit = createAuditTrail({
      directory: trail,
      signingKey: generateKeyPairSync('ed25519').privateKey,
      checkpointIntervalMs: 0,
      operations: ['order.execution'],
    });
    try {
      for (const id of [generatedForm, cardShaped])
        orderExecution.run({ correlationId: id, orderId: `o-${id}` }, () => 'ok');
      await audit.flush();
      await tracing.forceFlush();
      const logged = lines.map((text) => (JSON.parse(text) as { correlation_id: string }).correlation_id);
      const spans = receiver.spans
        .filter((span) => span.name === 'order.execution')
        .map((span) => span.attributes.correlation_id);
      const file = readdirSync(trail).find((name) => name.endsWith('.jsonl'))!;
      const audited = [
        ...new Set(
          readFileSync(join(trail, file), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((text) => (JSON.parse(text) as { correlation_id?: string }).correlation_id)
            .filter((id) => id !== undefined),
        ),
      ];
      const expected = [generatedForm, '************1111'];
      expect({ logged, spans, audited }).toEqual({ logged: expected, spans: expected, audited: expected });
    } finally {
      await log.close();
      await tracing.shutdown();
      await audit.close();
      await receiver.close();
    }
  });
});
