import { isJtsError } from '@jts/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';
import { captureLogger, closeLoggers, expectValidLines } from './helpers/capture.js';

const saved = { ...process.env };
beforeEach(() => {
  for (const key of ['OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES', 'JTS_LOG_LEVEL', 'JTS_LOG_FILE'])
    delete process.env[key];
});
afterEach(async () => {
  await closeLoggers();
  process.env = { ...saved };
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('options and environment', () => {
  it('resolves the service identity once: option > OTEL_SERVICE_NAME > OTEL_RESOURCE_ATTRIBUTES > package', () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES =
      'service.name=from-resource,service.version=2.0.0,deployment.environment.name=staging';
    const fromResource = captureLogger({ serviceName: undefined });
    process.env.OTEL_SERVICE_NAME = 'from-env';
    const fromEnv = captureLogger({ serviceName: undefined });
    const fromOption = captureLogger({
      serviceName: 'from-option',
      serviceVersion: '3.1.4',
      environment: 'production',
    });
    delete process.env.OTEL_SERVICE_NAME;
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    const fromPackage = captureLogger({ serviceName: undefined });
    for (const { log } of [fromResource, fromEnv, fromOption, fromPackage]) log.info('who');
    expect(expectValidLines(fromResource.capture)[0]).toMatchObject({
      'service.name': 'from-resource',
      'service.version': '2.0.0',
      'service.environment': 'staging',
    });
    expect(expectValidLines(fromEnv.capture)[0]).toMatchObject({ 'service.name': 'from-env' });
    expect(expectValidLines(fromOption.capture)[0]).toMatchObject({
      'service.name': 'from-option',
      'service.version': '3.1.4',
      'service.environment': 'production',
    });
    expect(expectValidLines(fromPackage.capture)[0]?.['service.name']).toEqual(expect.any(String));
    expect(expectValidLines(fromPackage.capture)[0]?.['service.name']).not.toMatch(/^from-/);
  });

  it('takes the level from the option, else JTS_LOG_LEVEL, else info', () => {
    process.env.JTS_LOG_LEVEL = 'warn';
    const fromEnv = captureLogger();
    const fromOption = captureLogger({ level: 'debug' });
    delete process.env.JTS_LOG_LEVEL;
    const byDefault = captureLogger();
    for (const { log } of [fromEnv, fromOption, byDefault]) {
      log.debug('d');
      log.info('i');
      log.warn('w');
    }
    expect(fromEnv.capture.records().map((record) => record.message)).toEqual(['w']);
    expect(fromOption.capture.records().map((record) => record.message)).toEqual(['d', 'i', 'w']);
    expect(byDefault.capture.records().map((record) => record.message)).toEqual(['i', 'w']);
  });

  it('writes @timestamp in UTC with microseconds, close to the wall clock and in order', () => {
    const { log, capture } = captureLogger();
    const before = Date.now();
    for (let index = 0; index < 200; index++) log.info('tick');
    const after = Date.now();
    const stamps = expectValidLines(capture).map((record) => String(record['@timestamp']));
    for (const stamp of stamps) {
      expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      const millis = Date.parse(stamp);
      expect(millis).toBeGreaterThanOrEqual(before - 3);
      expect(millis).toBeLessThanOrEqual(after + 3);
    }
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps.map((stamp) => stamp.slice(20, 26))).size).toBeGreaterThan(1);
  });

  it('fails fast with JTS_ERR_INVALID_OPTION naming the option and its variable', () => {
    const cases: [object, RegExp][] = [
      [{ level: 'loud' }, /level.*JTS_LOG_LEVEL/],
      [{ maxStringLength: 3 }, /maxStringLength.*JTS_LOG_MAX_STRING_LENGTH/],
      [{ maxDepth: 0 }, /maxDepth.*JTS_LOG_MAX_DEPTH/],
      [{ operations: ['order.cancel'] }, /operations.*order\.cancel.*JTS_LOG_OPERATIONS/],
      [{ operations: 'order.execution' }, /operations: must be an array/],
      [{ operationLevels: { failure: 'silent' } }, /operationLevels\.failure/],
      [{ closeTimeoutMs: -1 }, /closeTimeoutMs.*JTS_LOG_CLOSE_TIMEOUT_MS/],
      [{ flushOnExit: 'yes' }, /flushOnExit.*JTS_LOG_FLUSH_ON_EXIT/],
      [{ redaction: { keys: ['x'] } }, /redaction: must be a RedactionPolicy/],
      [{ redactPaths: ['ok', ''] }, /redactPaths/],
      [{ destination: [] }, /destination/],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => createLogger({ destination: { stream: { write() {} } }, ...options } as never));
      expect(isJtsError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('JTS_ERR_INVALID_OPTION');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('ignores an invalid environment value with a coded warning and uses the default', () => {
    process.env.JTS_LOG_MAX_STRING_LENGTH = 'lots';
    const { log, capture } = captureLogger();
    log.info({ text: 'a'.repeat(20_000) }, 'x');
    expect(String(expectValidLines(capture)[0]?.text)).toMatch(/^a{16384}\.\.\.\[truncated 3616 chars\]$/);
  });

  it('counts lines by level for @jts/metrics', () => {
    const { log } = captureLogger({ level: 'trace' });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.info('i');
    log.child({ a: 1 }).warn('w');
    log.error('e');
    log.fatal('f');
    expect(log.stats()).toEqual({
      lines: { trace: 1, debug: 1, info: 2, warn: 1, error: 1, fatal: 1 },
      total: 7,
      dropped: 0,
      operationLines: 0,
    });
  });
});
