import { describe, expect, it } from 'vitest';
import { createTradingMetrics } from '../src/index.js';
import { parseExposition } from './support/parse-exposition.js';

describe('label values bounded and redacted by core', () => {
  it('IBANs and card numbers by value; a secret crossing the label limit is recognised whole, then cut', async () => {
    const metrics = createTradingMetrics({
      defaultMetrics: false,
      operations: false,
      strict: false,
      maxLabelValueLength: 32,
    });
    try {
      metrics.setStrategyPnl({ strategyId: 'refund GB29NWBK60161331926819' }, 1);
      metrics.setStrategyPnl({ strategyId: `${'s'.repeat(24)} 4111 1111 1111 1111 ${'t'.repeat(100_000)}` }, 2);
      const labels = parseExposition(await metrics.metrics())
        .samples.filter((sample) => sample.name === 'strategy_pnl')
        .map((sample) => sample.labels.strategy_id);
      expect(labels).toEqual(['refund ************6819', `${'s'.repeat(24)} *******`]);
    } finally {
      metrics.close();
    }
  });
});
