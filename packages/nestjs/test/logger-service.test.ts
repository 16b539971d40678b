import { ConsoleLogger, Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrustedContext } from '@jts/core/internal';
import { runInContext } from '@jts/core';
import { createLogger } from '@jts/log';
import { JtsLoggerService } from '@jts/nestjs';
import { createCapture } from '../../log/test/helpers/capture.js';

const loggers: ReturnType<typeof createLogger>[] = [];
afterEach(async () => {
  await Promise.all(loggers.splice(0).map((logger) => logger.close()));
});

function service() {
  const capture = createCapture();
  const logger = createLogger({
    serviceName: 'nest-logs',
    level: 'trace',
    destination: { stream: capture.stream },
    flushOnExit: false,
    operations: false,
  });
  loggers.push(logger);
  return { service: new JtsLoggerService(logger), lines: () => capture.records() };
}

const STACK = 'Error: ledger down\n    at LedgerService.sync (/app/ledger.ts:10:5)';

describe('JtsLoggerService', () => {
  it("maps Nest's levels and arguments onto structured lines", () => {
    const { service: nest, lines } = service();
    nest.log('Mapped {/orders, GET} route', 'RouterExplorer');
    nest.error('sync failed', STACK, 'LedgerService');
    nest.error('no stack here', 'LedgerService');
    nest.error(new RangeError('price out of band'));
    nest.warn({ orderId: 'o-1', reason: 'slow fill' }, 'Fills');
    nest.debug('tick', 'Feed');
    nest.verbose('tock', 'Feed');
    nest.fatal('giving up', 'Main');
    nest.log('with extras', { venue: 'XNAS' }, 'Router');
    expect(lines().map((line) => [line['log.level'], line['nest.context'], line.message])).toEqual([
      ['info', 'RouterExplorer', 'Mapped {/orders, GET} route'],
      ['error', 'LedgerService', 'sync failed'],
      ['error', 'LedgerService', 'no stack here'],
      ['error', undefined, 'price out of band'],
      ['warn', 'Fills', undefined],
      ['debug', 'Feed', 'tick'],
      ['trace', 'Feed', 'tock'],
      ['fatal', 'Main', 'giving up'],
      ['info', 'Router', 'with extras'],
    ]);
    const [, withStack, withoutStack, thrown, object, , , , extras] = lines();
    expect(withStack!.error).toMatchObject({ message: 'sync failed', stack_trace: STACK });
    expect(withoutStack!.error).toBeUndefined();
    expect(thrown!.error).toMatchObject({ type: 'RangeError', message: 'price out of band' });
    expect([object!.orderId, object!.reason]).toEqual(['o-1', 'slow fill']);
    expect(extras!['nest.arguments']).toEqual([{ venue: 'XNAS' }]);
  });

  it("writes the correlation ID of the context a log call runs in, also through Nest's Logger", () => {
    const { service: nest, lines } = service();
    Logger.overrideLogger(nest);
    try {
      runInContext(createTrustedContext('ctx-42'), () => new Logger('OrdersService').log('filled'));
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    expect(lines().map((line) => [line.correlation_id, line['nest.context'], line.message])).toEqual([
      ['ctx-42', 'OrdersService', 'filled'],
    ]);
  });

  it('keeps only the levels given to setLogLevels', () => {
    const { service: nest, lines } = service();
    nest.setLogLevels(['error', 'warn']);
    nest.log('dropped');
    nest.debug('dropped');
    nest.warn('kept');
    nest.error('kept too');
    expect(lines().map((line) => line.message)).toEqual(['kept', 'kept too']);
  });

  it("forwards to Nest's console logger when the module has no logger", () => {
    const nest = new JtsLoggerService(undefined);
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      nest.log('plain console line', 'Bootstrap');
    } finally {
      process.stdout.write = write;
    }
    expect(written.join('')).toMatch(/\[Bootstrap\].*plain console line/);
  });
});
