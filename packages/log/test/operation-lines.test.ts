import {
  OPERATION_NAMES,
  createRedactionPolicy,
  type OperationMessage,
  brokerApiCall,
  contextStorage,
  createContext,
  httpServerRequest,
  marketDataProcessing,
  operations,
  orderExecution,
  riskCheck,
  strategyExecution,
} from '@jts/core';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';
import { captureLogger, closeLoggers, createCapture, expectValidLines, track } from './helpers/capture.js';

afterEach(closeLoggers);

describe('operation completion and failure lines', () => {
  it('does not subscribe when the package is imported, only when a logger asks', async () => {
    await import('../src/index.js');
    for (const name of OPERATION_NAMES) expect(operations[name].hasSubscribers).toBe(false);
    const { log } = captureLogger({ operations: undefined });
    // All six by default: http.server.request runs become the access line.
    for (const name of OPERATION_NAMES) expect(operations[name].hasSubscribers).toBe(true);
    await log.close();
    for (const name of OPERATION_NAMES) expect(operations[name].hasSubscribers).toBe(false);
  });

  it('writes an http.server.request run as one ECS access line, query string left out', () => {
    const { capture } = captureLogger({ operations: ['http.server.request'] });
    httpServerRequest.run(
      { method: 'POST', url: '/orders/7?token=abc', headers: { 'user-agent': 'curl/8' }, requestBytes: 42 },
      (scope) => scope.setAttributes({ route: '/orders/:id', statusCode: 404, responseBytes: 17 }),
    );
    const [line] = expectValidLines(capture);
    expect(line).toMatchObject({
      'log.level': 'warn',
      message: 'POST /orders/:id 404',
      'event.action': 'http.server.request',
      'event.outcome': 'failure',
      'jts.operation.status': 'client_error',
      'http.request.method': 'POST',
      'http.route': '/orders/:id',
      'url.path': '/orders/7',
      'http.response.status_code': 404,
      'http.request.body.bytes': 42,
      'http.response.body.bytes': 17,
      'user_agent.original': 'curl/8',
    });
    expect(JSON.stringify(line)).not.toContain('token=abc');
  });

  it('reads the attributes of an access line as run.attribute does: an update, even null, wins', () => {
    const { capture } = captureLogger({ operations: ['http.server.request'] });
    let seen: unknown;
    httpServerRequest.run({ method: 'GET', url: '/orders/7', route: '/orders/:id' }, (scope) => {
      scope.setAttributes({ route: null, statusCode: 200 } as never);
      seen = (scope as unknown as { attribute(name: string): unknown }).attribute('route');
    });
    expect(seen).toBeNull();
    const [line] = expectValidLines(capture);
    // No route: the message holds the path, and there is no http.route field.
    expect(line).toMatchObject({ message: 'GET /orders/7 200', 'url.path': '/orders/7' });
    expect(line).not.toHaveProperty('http.route');
  });

  it('writes one line per synchronous run with duration, outcome and context fields', () => {
    const { log, capture } = captureLogger({ operations: undefined });
    const result = orderExecution.run(
      { correlationId: 'c-9', orderId: 'o-1', symbol: 'AAPL', side: 'buy' },
      () => 'filled',
    );
    expect(result).toBe('filled');
    const [line] = expectValidLines(capture);
    expect(line).toMatchObject({
      'log.level': 'info',
      message: 'order.execution completed',
      correlation_id: 'c-9',
      'trading.order_id': 'o-1',
      'trading.symbol': 'AAPL',
      'event.action': 'order.execution',
      'event.outcome': 'success',
      'jts.operation.status': 'success',
    });
    expect(line?.['event.duration']).toEqual(expect.any(Number));
    expect(line?.['event.duration']).toBeGreaterThan(0);
    expect(log.stats().operationLines).toBe(1);
  });

  it('waits for a promise to settle and writes the failure with ECS error fields', async () => {
    const { capture } = captureLogger({ operations: undefined });
    const failure = Object.assign(new Error('broker timeout'), { code: 'ETIMEDOUT' });
    await expect(
      brokerApiCall.run({ broker: 'ib' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw failure;
      }),
    ).rejects.toBe(failure);
    const [line] = expectValidLines(capture);
    expect(line).toMatchObject({
      'log.level': 'error',
      message: 'broker.api_call failed',
      'trading.broker': 'ib',
      'event.outcome': 'failure',
      'jts.operation.status': 'error',
      error: { type: 'Error', message: 'broker timeout', code: 'ETIMEDOUT' },
    });
    expect(line?.['event.duration']).toBeGreaterThanOrEqual(15_000_000);
  });

  it('writes an outcome set without an exception at the outcome level', () => {
    const { capture } = captureLogger({ operations: undefined });
    riskCheck.run({ accountId: 'ACC-1234567' }, (scope) => scope.setOutcome('rejected', 'insufficient_margin'));
    const [line] = expectValidLines(capture);
    // A business outcome (OUTCOME_SIGNALS.business): a warning with its reason, not an error.
    expect(line).toMatchObject({
      'log.level': 'warn',
      message: 'risk.check rejected',
      'event.outcome': 'failure',
      'jts.operation.status': 'rejected',
      'event.reason': 'insufficient_margin',
    });
    expect(line?.error).toBeUndefined();
  });

  it('logs an async run when it settles even if it set its outcome before its first await', async () => {
    const { capture } = captureLogger({ operations: undefined });
    await riskCheck.run({ strategyId: 'mm' }, async (scope) => {
      scope.setOutcome('rejected', 'limit');
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const [line] = expectValidLines(capture);
    expect(line).toMatchObject({ message: 'risk.check rejected', 'jts.operation.status': 'rejected' });
    expect(line?.['event.duration']).toBeGreaterThanOrEqual(19_000_000);
  });

  it('follows only the chosen operations, at the chosen levels', () => {
    const { capture } = captureLogger({
      operations: ['strategy.execution'],
      operationLevels: { success: 'debug' },
      level: 'debug',
    });
    strategyExecution.run({ strategyId: 'mm' }, () => 1);
    marketDataProcessing.run({ symbol: 'X' }, () => 1);
    const records = expectValidLines(capture);
    expect(records.map((record) => [record['event.action'], record['log.level']])).toEqual([
      ['strategy.execution', 'debug'],
    ]);
  });

  it('is off with operations: false or JTS_LOG_OPERATIONS=false, and JTS_LOG_OPERATIONS picks operations', () => {
    const first = captureLogger({ operations: false });
    const { capture } = captureLogger({ operations: undefined, env: { JTS_LOG_OPERATIONS: 'false' } });
    orderExecution.run({}, () => 1);
    expect(capture.raw).toEqual([]);
    expect(first.capture.raw).toEqual([]);
    expect(orderExecution.hasSubscribers).toBe(false);
    const picked = captureLogger({ operations: undefined, env: { JTS_LOG_OPERATIONS: 'risk.check, order.execution' } });
    orderExecution.run({}, () => 1);
    strategyExecution.run({}, () => 1);
    riskCheck.run({}, () => 1);
    expect(expectValidLines(picked.capture).map((record) => record['event.action'])).toEqual([
      'order.execution',
      'risk.check',
    ]);
  });

  it('never changes the result or the error of the run when the logger is closed', async () => {
    const { log, capture } = captureLogger({ operations: undefined });
    await log.close();
    expect(orderExecution.run({}, () => 42)).toBe(42);
    expect(capture.raw).toEqual([]);
  });

  it('writes the line in the store a tracer bound on start (where its span is active)', async () => {
    const { capture } = captureLogger({ operations: undefined });
    // What @jts/trace does: start.bindStore replaces the run's context by a derived one.
    const start = orderExecution.channel.start as unknown as {
      bindStore(store: unknown, transform: (message: OperationMessage) => unknown): void;
      unbindStore(store: unknown): boolean;
    };
    start.bindStore(contextStorage(), (message) => createContext({ broker: 'bound-on-start' }, message.context));
    try {
      orderExecution.run({ correlationId: 'bound-1', orderId: 'o-1' }, () => 'sync');
      await orderExecution.run({ correlationId: 'bound-2', orderId: 'o-2' }, async () => 'async');
    } finally {
      start.unbindStore(contextStorage());
    }
    const records = expectValidLines(capture);
    expect(
      records.map((record) => [record.correlation_id, record['trading.order_id'], record['trading.broker']]),
    ).toEqual([
      ['bound-1', 'o-1', 'bound-on-start'],
      ['bound-2', 'o-2', 'bound-on-start'],
    ]);
  });
});

describe('operation lines written straight to the destination', () => {
  const asJson = (pino.symbols as unknown as Record<string, symbol>).asJsonSym as symbol;
  /** Counts the lines pino itself serialises for a logger. */
  const countPinoLines = (log: object) => {
    const counted = { lines: 0 };
    const own = log as Record<symbol, (...args: unknown[]) => string>;
    const original = own[asJson] as (...args: unknown[]) => string;
    own[asJson] = function (this: unknown, ...args: unknown[]) {
      counted.lines++;
      return original.apply(this, args);
    };
    return counted;
  };
  const withoutTimestamp = (line: string) => line.replace(/"@timestamp":"[^"]+"/, '"@timestamp":"T"');

  it('writes the same bytes pino writes, for every outcome without an error or a reason', async () => {
    const direct = captureLogger({ operations: undefined, serviceVersion: '1.2.3' });
    // Redact paths (here one that matches nothing) make pino write every line.
    const viaPino = captureLogger({ operations: undefined, serviceVersion: '1.2.3', redactPaths: ['unrelated.path'] });
    const directPino = countPinoLines(direct.log);
    const order = {
      orderId: 'o-7',
      symbol: 'AAPL',
      side: 'buy',
      strategyId: 'mm-1',
      accountId: 'ACC-12345678',
    } as const;
    orderExecution.run(order, () => 'filled');
    orderExecution.run(order, (scope) => scope.setOutcome('rejected'));
    await orderExecution.run(order, async () => 'filled');
    strategyExecution.run({ strategyId: 'mm-1' }, () => undefined);
    marketDataProcessing.run({ symbol: 'ÄÖ\u2028"quoted"' }, () => undefined);
    riskCheck.run(order, (scope) => scope.setOutcome('aborted'));
    expect(directPino.lines).toBe(0);
    const lines = direct.capture.lines();
    expect(lines).toHaveLength(6);
    expect(lines.map(withoutTimestamp)).toEqual(viaPino.capture.lines().map(withoutTimestamp));
    expectValidLines(direct.capture);
    expect(direct.log.stats()).toEqual(viaPino.log.stats());
    expect(direct.log.stats()).toMatchObject({ lines: { info: 4, warn: 2 }, total: 6, operationLines: 6 });
  });

  it('writes access lines as pino would, and leaves those with a value the string step changes to pino', () => {
    const run = (
      method: string,
      url: string,
      attributes: Record<string, unknown>,
      headers: Record<string, string> = { 'user-agent': 'autocannon/8' },
    ) =>
      httpServerRequest.run({ method, url, headers, requestBytes: 0 }, (scope) =>
        scope.setAttributes({ responseBytes: 67, ...attributes }),
      );
    const requests = () => {
      run('GET', '/orders/4711?token=abc', { route: '/orders/:id', statusCode: 200 });
      run('POST', '/orders', { route: '/orders', statusCode: 201 }, {});
      run('GET', '/nowhere', { statusCode: 404 });
      run('GET', '/orders/"quoted"\\', { route: '/orders/:id', statusCode: 200 }, { 'user-agent': 'ÄÖ agent' });
      // Each of these has one value the string step or the serialiser treats differently: pino writes them.
      run('GET', '/cards/4111111111111111', { route: '/cards/:pan', statusCode: 200 });
      run('GET', '/orders/1', { route: '/orders/:id', statusCode: 200 }, { 'user-agent': `a${'x'.repeat(20_000)}` });
      run('GET', '/orders/2', { route: '/orders/:id', statusCode: 200 }, { 'user-agent': 'agent\u0085next' });
      run('GET', '/orders/3', { route: '/orders/\ud800', statusCode: 200 });
      run('GET', '/orders/4', { route: '/orders/:id', statusCode: 200, responseBytes: Number.POSITIVE_INFINITY });
    };
    const direct = captureLogger({ operations: ['http.server.request'] });
    const viaPino = captureLogger({ operations: ['http.server.request'], redactPaths: ['unrelated.path'] });
    const pinoLines = countPinoLines(direct.log);
    requests();
    expect(pinoLines.lines).toBe(5);
    const lines = direct.capture.lines();
    expect(lines).toHaveLength(9);
    expect(lines.map(withoutTimestamp)).toEqual(viaPino.capture.lines().map(withoutTimestamp));
    const records = expectValidLines(direct.capture);
    expect(records[0]).toMatchObject({ message: 'GET /orders/:id 200', 'url.path': '/orders/4711' });
    expect(records[3]).toMatchObject({ 'url.path': '/orders/"quoted"\\', 'user_agent.original': 'ÄÖ agent' });
    expect(JSON.stringify(records)).not.toContain('4111111111111111');
    expect(direct.log.stats()).toEqual(viaPino.log.stats());

    // A key the logger's bindings already write moves to labels.* (pino's path), as does one the
    // redaction policy names.
    direct.log.setBindings({ 'http.route': 'bound' });
    run('GET', '/orders/5', { route: '/orders/:id', statusCode: 200 });
    expect(pinoLines.lines).toBe(6);
    expect(direct.capture.records().at(-1)).toMatchObject({
      'http.route': 'bound',
      'labels.http.route': '/orders/:id',
    });
    const keyed = captureLogger({
      operations: ['http.server.request'],
      redaction: createRedactionPolicy({ keys: ['user_agent.original'] }),
    });
    const keyedPino = countPinoLines(keyed.log);
    run('GET', '/orders/6', { route: '/orders/:id', statusCode: 200 });
    expect(keyedPino.lines).toBe(1);
    expect(keyed.capture.records()[0]?.['user_agent.original']).toBe('[REDACTED]');
  });

  it('leaves lines with an error or a reason and multi-destination loggers to pino', () => {
    const direct = captureLogger({ operations: undefined });
    const pinoLines = countPinoLines(direct.log);
    orderExecution.run({ orderId: 'o-8' }, (scope) => scope.setOutcome('rejected', 'insufficient_margin'));
    expect(() =>
      orderExecution.run({ orderId: 'o-9' }, () => {
        throw new RangeError('price band');
      }),
    ).toThrow(RangeError);
    httpServerRequest.run({ method: 'GET', url: '/health' }, (scope) => scope.setAttributes({ statusCode: 503 }));
    expect(pinoLines.lines).toBe(3);
    expect(
      direct.capture
        .records()
        .map((line) => line['event.reason'] ?? (line.error as { type?: string } | undefined)?.type ?? line.message),
    ).toEqual(['insufficient_margin', 'RangeError', '503']);

    // Two destinations with their own levels: pino's multistream needs its per-line metadata.
    const first = createCapture();
    const second = createCapture();
    const multi = track(
      createLogger({
        serviceName: 'test-service',
        destination: [{ stream: first.stream }, { stream: second.stream, level: 'warn' }],
      }),
    );
    const multiPino = countPinoLines(multi);
    orderExecution.run({ orderId: 'o-10' }, () => 'filled');
    expect(multiPino.lines).toBe(1);
    expect(first.records().map((line) => line.message)).toContain('order.execution completed');
    expect(second.lines()).toHaveLength(0);
  });
});
