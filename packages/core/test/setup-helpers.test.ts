import { describe, expect, it, vi } from 'vitest';
import {
  JtsError,
  TRADING_CONVENTIONS,
  isJtsError,
  parseResourceAttributes,
  resolveServiceInfo,
  toTradingAttributes,
  toTradingMetricLabels,
} from '@jts/core';
import { parseBoolean, parseEnum, parseNumber, resolveOption } from '@jts/core/internal';

describe('resolveOption', () => {
  const base = {
    name: 'maxStringLength',
    env: 'JTS_TEST_MAX',
    parse: parseNumber({ min: 1, integer: true }),
    default: 100,
  };

  it('option > env > default, empty env counts as unset', () => {
    expect(resolveOption({ ...base, option: 5, environment: { JTS_TEST_MAX: '7' } })).toBe(5);
    expect(resolveOption({ ...base, option: undefined, environment: { JTS_TEST_MAX: '7' } })).toBe(7);
    expect(resolveOption({ ...base, option: undefined, environment: { JTS_TEST_MAX: '  ' } })).toBe(100);
    expect(resolveOption({ ...base, option: undefined, environment: {} })).toBe(100);
  });

  it('invalid env: coded warning once and the default', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(
        resolveOption({ ...base, env: 'JTS_TEST_BAD', option: undefined, environment: { JTS_TEST_BAD: 'lots' } }),
      ).toBe(100);
      expect(
        resolveOption({ ...base, env: 'JTS_TEST_BAD', option: undefined, environment: { JTS_TEST_BAD: '-1' } }),
      ).toBe(100);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![1]).toMatchObject({ code: 'JTS_WARN_INVALID_ENV' });
      expect(String(warn.mock.calls[0]![0])).toContain('JTS_TEST_BAD');
    } finally {
      warn.mockRestore();
    }
  });

  it('invalid option in code throws JTS_ERR_INVALID_OPTION naming option and env var', () => {
    const attempt = () =>
      resolveOption({ ...base, option: -3, validate: (value: number) => (value > 0 ? undefined : 'must be > 0') });
    expect(attempt).toThrow(JtsError);
    expect(attempt).toThrow(/maxStringLength: must be > 0 \(or set JTS_TEST_MAX\)/);
    try {
      attempt();
    } catch (error) {
      expect(isJtsError(error) && error.code).toBe('JTS_ERR_INVALID_OPTION');
    }
  });

  it('parsers', () => {
    expect(['true', 'YES', '1', 'off', 'no', 'maybe'].map(parseBoolean)).toEqual([
      true,
      true,
      true,
      false,
      false,
      undefined,
    ]);
    expect(['2', '2.5', 'x', '1e3', 'Infinity'].map(parseNumber({ integer: true }))).toEqual([
      2,
      undefined,
      undefined,
      1000,
      undefined,
    ]);
    expect(['Info', 'trace'].map(parseEnum(['info', 'warn'] as const))).toEqual(['info', undefined]);
  });
});

describe('resolveServiceInfo', () => {
  it('option > OTEL_SERVICE_NAME > OTEL_RESOURCE_ATTRIBUTES > package', () => {
    const env = {
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-res,service.version=1.2.3,deployment.environment.name=prod',
    };
    expect(resolveServiceInfo({ serviceName: 'opt' }, env)).toEqual({
      name: 'opt',
      version: '1.2.3',
      environment: 'prod',
    });
    expect(resolveServiceInfo({}, env).name).toBe('from-env');
    expect(resolveServiceInfo({}, { OTEL_RESOURCE_ATTRIBUTES: env.OTEL_RESOURCE_ATTRIBUTES }).name).toBe('from-res');
    expect(resolveServiceInfo({}, { npm_package_name: 'pkg-name', NODE_ENV: 'staging' })).toMatchObject({
      name: 'pkg-name',
      environment: 'staging',
    });
  });

  it('parses percent-encoded resource attributes and skips malformed members', () => {
    expect(parseResourceAttributes('a=b%2Cc,broken,=x,d=%E0%A4%A')).toEqual({ a: 'b,c' });
  });
});

describe('trading conventions', () => {
  it('defines attribute keys and metric labels once, with identifiers kept out of labels', () => {
    const byField = Object.fromEntries(TRADING_CONVENTIONS.map((convention) => [convention.field, convention]));
    expect(byField.orderId).toMatchObject({ attribute: 'trading.order_id', metricLabel: false });
    expect(byField.userId?.metricLabel).toBe(false);
    expect(byField.strategyId).toMatchObject({
      attribute: 'trading.strategy_id',
      label: 'strategy_id',
      metricLabel: true,
    });
    for (const convention of TRADING_CONVENTIONS) {
      expect(convention.attribute).toMatch(/^trading\.[a-z_]+$/);
      expect(convention.label).toMatch(/^[a-z_]+$/);
    }
    const fields = { orderId: 'o', strategyId: 's', symbol: 'AAPL', side: 'buy', userId: 'u' };
    expect(toTradingAttributes(fields)).toEqual({
      'trading.order_id': 'o',
      'trading.strategy_id': 's',
      'trading.symbol': 'AAPL',
      'trading.side': 'buy',
      'trading.user_id': 'u',
    });
    expect(toTradingMetricLabels(fields)).toEqual({ strategy_id: 's', symbol: 'AAPL', side: 'buy' });
  });
});

describe('context field merge', () => {
  it('covers exactly the trading conventions, each under its own attribute key', async () => {
    const { runWithContext, currentContext } = await import('@jts/core');
    for (const convention of TRADING_CONVENTIONS) {
      const seen = runWithContext({ [convention.field]: 'v-1' }, () => currentContext());
      expect(seen?.fields).toEqual({ [convention.field]: 'v-1' });
      expect(seen?.attributes).toEqual({ [convention.attribute]: 'v-1' });
    }
    const all = Object.fromEntries(
      TRADING_CONVENTIONS.map((convention) => [convention.field, `x-${convention.field}`]),
    );
    const merged = runWithContext(all, () => currentContext());
    expect(Object.keys(merged?.fields ?? {})).toHaveLength(TRADING_CONVENTIONS.length);
    expect(merged?.attributes).toEqual(toTradingAttributes(all));
  });

  it('shares the parent objects when a scope has no trading field of its own (unusable values included)', async () => {
    const { runWithContext, withFields, currentContext, orderExecution } = await import('@jts/core');
    runWithContext({ symbol: 'AAPL' }, () => {
      const parent = currentContext()!;
      const noTrading = withFields({ symbol: '' } as never, () => currentContext()!);
      expect(noTrading.fields).toBe(parent.fields);
      expect(noTrading.attributes).toBe(parent.attributes);
      // An operation whose attributes are all other fields (like an HTTP request's) shares them too.
      orderExecution.start({ method: 'GET', url: '/x' } as never, (scope) => {
        expect(currentContext()?.fields).toBe(parent.fields);
        scope.end();
      });
      const own = withFields({ side: 'buy' }, () => currentContext()!);
      expect(own.fields).toEqual({ symbol: 'AAPL', side: 'buy' });
      expect(own.attributes).toEqual({ 'trading.symbol': 'AAPL', 'trading.side': 'buy' });
    });
  });
});

describe('withDeadline', () => {
  it('reports settled work, rejected work as settled, and a timed-out one', async () => {
    const { withDeadline } = await import('@jts/core/internal');
    expect(await withDeadline(Promise.resolve(1), 1000)).toBe('settled');
    expect(await withDeadline(Promise.reject(new Error('destination failed')), 1000)).toBe('settled');
    let release = () => {};
    const pending = new Promise<void>((resolve) => (release = resolve));
    expect(await withDeadline(pending, 20)).toBe('timed-out');
    release();
  });
});
