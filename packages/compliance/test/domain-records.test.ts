import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { orderExecution, runWithContext } from '@jts/core';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, createAuditTrail, verifyAuditTrail } from '../src/index.js';
import { keyPair, tempDir } from './support/temp.js';

const records = (dir: string) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').trim().split('\n'))
    .map((line) => JSON.parse(line) as Record<string, any>);

describe('domain records', () => {
  it('records decisions, order lifecycle and security events, each as a log-friendly event and counted', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const events: AuditEvent[] = [];
    const audit = createAuditTrail({ directory: dir, signingKey: privateKey, onEvent: (event) => events.push(event) });
    await runWithContext({ correlationId: 'corr-42', strategyId: 'mm-1', exchange: 'XNAS' }, async () => {
      await audit.recordTradingDecision({
        strategy: 'mm-1',
        symbol: 'AAPL',
        action: 'buy',
        reasoning: { signal: 'spread', z: 2.1 },
        riskAssessment: { exposure: 1e6, limit: 2e6 },
        complianceCheck: true,
        user: 'trader-7',
        quantity: 100,
        price: 187.2,
      });
      for (const kind of ['submitted', 'acknowledged', 'filled', 'cancelled', 'rejected'] as const) {
        await audit.recordOrderEvent({
          kind,
          orderId: 'o-1',
          symbol: 'AAPL',
          side: 'buy',
          quantity: 100,
          price: 187.2,
          reason: kind === 'rejected' ? 'insufficient_margin' : undefined,
          accountId: 'ACC-12345678',
        });
      }
      for (const kind of [
        'authentication_failure',
        'permission_denied',
        'configuration_change',
        'data_export',
      ] as const) {
        await audit.recordSecurityEvent({
          kind,
          user: 'trader-7',
          description: `${kind} happened`,
          details: { source_ip: '10.0.0.7', password: 'hunter2' },
        });
      }
    });
    await audit.close();
    const written = records(dir).filter((record) => record.type !== 'audit.checkpoint');
    expect(written.map((record) => record.type)).toEqual([
      'trading.decision',
      'order.submitted',
      'order.acknowledged',
      'order.filled',
      'order.cancelled',
      'order.rejected',
      'security.authentication_failure',
      'security.permission_denied',
      'security.configuration_change',
      'security.data_export',
    ]);
    expect(written[0]).toMatchObject({
      actor: 'trader-7',
      correlation_id: 'corr-42',
      'trading.strategy_id': 'mm-1',
      'trading.exchange': 'XNAS',
      'trading.symbol': 'AAPL',
      payload: {
        action: 'buy',
        compliance_check: true,
        reasoning: { signal: 'spread', z: 2.1 },
        risk_assessment: { exposure: 1e6, limit: 2e6 },
      },
    });
    expect(written[5]).toMatchObject({
      'trading.order_status': 'rejected',
      'trading.order_id': 'o-1',
      payload: { reason: 'insufficient_margin', account_id: '*******5678' },
    });
    expect(written[6]!.payload).toMatchObject({
      severity: 'medium',
      details: { source_ip: '10.0.0.7', password: '[REDACTED]' },
    });
    expect(written[8]!.payload.severity).toBe('low');

    expect(events).toHaveLength(10);
    expect(events[0]).toMatchObject({
      'event.category': 'trading',
      'event.action': 'trading-decision',
      'event.outcome': 'success',
      'log.level': 'info',
      correlation_id: 'corr-42',
      'audit.durable': true,
      'audit.seq': 1,
    });
    expect(events[5]).toMatchObject({
      'event.action': 'order-rejected',
      'event.outcome': 'failure',
      'log.level': 'warn',
      message: 'Order o-1 rejected: insufficient_margin',
    });
    expect(events[6]).toMatchObject({
      'event.category': 'security',
      'event.action': 'authentication-failure',
      'event.severity': 'medium',
      'log.level': 'warn',
      'audit.hash': written[6]!.hash,
    });
    expect(audit.stats().byType).toMatchObject({
      'trading.decision': 1,
      'order.filled': 1,
      'order.rejected': 1,
      'security.data_export': 1,
    });
    expect(audit.stats().events).toBe(10);
    expect((await verifyAuditTrail(dir, publicKey)).ok).toBe(true);
  });

  it('validates domain inputs', async () => {
    const audit = createAuditTrail({ directory: tempDir(), signingKey: keyPair().privateKey });
    await expect(
      audit.recordTradingDecision({ strategy: '', symbol: 'X', action: 'buy', reasoning: '', complianceCheck: true }),
    ).rejects.toThrow(/strategy must be a non-empty string/);
    await expect(audit.recordOrderEvent({ kind: 'exploded' as never, orderId: 'o', symbol: 'X' })).rejects.toThrow(
      /kind must be one of submitted/,
    );
    await expect(audit.recordSecurityEvent({ kind: 'login', severity: 'low' } as never)).rejects.toMatchObject({
      code: 'JTS_ERR_INVALID_ARGUMENT',
    });
    await expect(audit.recordSecurityEvent({ kind: 'data_export', severity: 'extreme' as never })).rejects.toThrow(
      /severity/,
    );
    await audit.close();
    expect(audit.stats().recorded).toBe(0);
  });

  it('audits orderExecution runs when asked, without making the order wait, with the run context', async () => {
    const dir = tempDir();
    const audit = createAuditTrail({
      directory: dir,
      signingKey: keyPair().privateKey,
      operations: ['order.execution'],
    });
    const results = await Promise.all(
      [1, 2, 3].map((index) => {
        // Built elsewhere, with a field no convention names: allowed, and redacted in the record.
        const attributes = {
          correlationId: `c-${index}`,
          orderId: `o-${index}`,
          symbol: 'MSFT',
          side: 'sell',
          apiKey: 'secret-key',
        };
        return orderExecution.run(attributes, async () => `done-${index}`);
      }),
    );
    expect(results).toEqual(['done-1', 'done-2', 'done-3']);
    await audit.close();
    const submitted = records(dir).filter((record) => record.type === 'order.submitted');
    expect(submitted.map((record) => record.correlation_id).sort()).toEqual(['c-1', 'c-2', 'c-3']);
    expect(submitted[0]).toMatchObject({
      'trading.symbol': 'MSFT',
      'trading.side': 'sell',
      payload: { source: 'jts:order.execution', attributes: { apiKey: '[REDACTED]' } },
    });
    await orderExecution.run({ orderId: 'after-close' }, () => 1);
    expect(records(dir).some((record) => record['trading.order_id'] === 'after-close')).toBe(false);
  });
});
