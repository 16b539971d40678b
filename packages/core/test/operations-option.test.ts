import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../src/index.js';
import { resolveOperationsOption } from '../src/internal-entry.js';

const base = { name: 'operations', env: 'JTS_X_OPERATIONS', default: OPERATION_NAMES } as const;

describe('resolveOperationsOption', () => {
  it('takes the option, then the variable (names or false), then the default; duplicates removed', () => {
    expect(resolveOperationsOption({ ...base, option: ['risk.check', 'risk.check'], environment: {} })).toEqual([
      'risk.check',
    ]);
    expect(resolveOperationsOption({ ...base, option: false, environment: {} })).toBe(false);
    expect(
      resolveOperationsOption({
        ...base,
        option: undefined,
        environment: { JTS_X_OPERATIONS: ' order.execution , broker.api_call ' },
      }),
    ).toEqual(['order.execution', 'broker.api_call']);
    expect(resolveOperationsOption({ ...base, option: undefined, environment: { JTS_X_OPERATIONS: 'false' } })).toBe(
      false,
    );
    expect(resolveOperationsOption({ ...base, option: undefined, environment: { JTS_X_OPERATIONS: '' } })).toEqual([
      ...OPERATION_NAMES,
    ]);
  });

  it('an unknown or unsupported name in code throws naming the option, the name and the variable', () => {
    expect(() =>
      resolveOperationsOption({ ...base, option: ['order.executon' as never], environment: {} }),
    ).toThrowError(
      expect.objectContaining({
        code: 'JTS_ERR_INVALID_OPTION',
        message: expect.stringMatching(/operations.*"order\.executon".*JTS_X_OPERATIONS/),
      }),
    );
    expect(() =>
      resolveOperationsOption({ ...base, option: ['risk.check'], supported: ['order.execution'], environment: {} }),
    ).toThrowError(/"risk\.check".*use order\.execution/);
    expect(() =>
      resolveOperationsOption({ ...base, option: 'order.execution' as never, environment: {} }),
    ).toThrowError(/must be an array of operation names or false/);
  });

  it('an unknown name in the variable is ignored with a coded warning and the default', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(`${warning.code}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      expect(
        resolveOperationsOption({
          ...base,
          env: 'JTS_Y_OPERATIONS',
          option: undefined,
          environment: { JTS_Y_OPERATIONS: 'order.executon' },
        }),
      ).toEqual([...OPERATION_NAMES]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([expect.stringMatching(/^JTS_WARN_INVALID_ENV: Ignoring invalid JTS_Y_OPERATIONS/)]);
  });
});
