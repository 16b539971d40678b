import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJtsError, onDiagnostic } from '@jts/core';
import { describe, expect, it } from 'vitest';
import { dataStreamName, sanitizeDataStreamPart } from '../src/data-stream.js';
import { resolveShippingSettings } from '../src/resolve-settings.js';
import { acquireSpoolLock } from '../src/spool-lock.js';
import { createCounterBuffer, createCounters, readStats } from '../src/stats.js';
import { TEST_SERVICE } from './support/shipping-harness.js';

/** The pid of a process that has exited. */
const deadPid = () =>
  Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout.trim(),
  );

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isJtsError(error) ? `${error.code}: ${error.message}` : String(error);
  }
  return 'no error';
};

describe('Elasticsearch shipping settings', () => {
  it('names data streams by Elastic conventions (no "-" or upper case in dataset and namespace)', () => {
    expect(dataStreamName('Order-Service', 'production')).toBe('logs-jts.order_service-production');
    expect(dataStreamName('@acme/risk engine', 'eu-west')).toBe('logs-jts.acme_risk_engine-eu_west');
    expect(sanitizeDataStreamPart('---')).toBe('unknown');
    expect(sanitizeDataStreamPart('  ')).toBe('unknown');
  });

  it('reads every setting from JTS_* environment variables when no option is given', () => {
    const { settings, closeTimeoutMs } = resolveShippingSettings({}, TEST_SERVICE, {
      JTS_ES_URL: 'https://es.internal:9200',
      JTS_ES_API_KEY: 'a2V5',
      JTS_ES_NAMESPACE: 'prod',
      JTS_ES_ERRORS_STREAM: 'trading-errors',
      JTS_LOG_SPOOL_DIR: '/var/spool/jts',
      JTS_LOG_SPOOL_MAX_BYTES: '1048576',
      JTS_LOG_SPOOL_FULL_POLICY: 'block',
      JTS_ES_FLUSH_INTERVAL_MS: '250',
      JTS_ES_BATCH_SIZE: '100',
      JTS_ES_REQUEST_TIMEOUT_MS: '3000',
      JTS_LOG_CLOSE_TIMEOUT_MS: '800',
    });
    expect(settings).toMatchObject({
      url: 'https://es.internal:9200',
      apiKey: 'a2V5',
      dataStream: 'logs-jts.order_service-prod',
      errorStream: 'trading-errors',
      spoolDir: '/var/spool/jts/logs-jts.order_service-prod',
      deadLetterPath: '/var/spool/jts/logs-jts.order_service-prod/dead-letter.ndjson',
      spoolMaxBytes: 1048576,
      segmentBytes: 131072,
      spoolFullPolicy: 'block',
      flushIntervalMs: 250,
      batchSize: 100,
      requestTimeoutMs: 3000,
    });
    expect(closeTimeoutMs).toBe(800);
  });

  it('prefers options over the environment, and applies the documented defaults', () => {
    const { settings, closeTimeoutMs, flushOnExit } = resolveShippingSettings(
      { url: 'http://127.0.0.1:9200', username: 'elastic', password: 'pw', errorStream: false },
      TEST_SERVICE,
      { JTS_ES_URL: 'http://ignored:9200', JTS_ES_USERNAME: 'ignored' },
    );
    expect(settings).toMatchObject({
      url: 'http://127.0.0.1:9200',
      username: 'elastic',
      password: 'pw',
      errorStream: undefined,
      dataStream: 'logs-jts.order_service-default',
      spoolMaxBytes: 512 * 1024 * 1024,
      segmentBytes: 16 * 1024 * 1024,
      spoolFullPolicy: 'drop-newest',
      flushIntervalMs: 1000,
      batchSize: 500,
      requestTimeoutMs: 10_000,
      tlsRejectUnauthorized: true,
    });
    expect(settings.spoolDir).toBe(join(tmpdir(), 'jts-log-spool', 'logs-jts.order_service-default'));
    expect(closeTimeoutMs).toBe(5000);
    expect(flushOnExit).toBe(true);
  });

  it('fails fast with JTS_ERR_INVALID_OPTION naming the option and its env var', () => {
    expect(codeOf(() => resolveShippingSettings({}, TEST_SERVICE, {}))).toMatch(
      /^JTS_ERR_INVALID_OPTION: .*elasticsearch\.url.*JTS_ES_URL/,
    );
    expect(codeOf(() => resolveShippingSettings({ url: 'ftp://x' }, TEST_SERVICE, {}))).toMatch(
      /^JTS_ERR_INVALID_OPTION: .*http\(s\) URL/,
    );
    expect(codeOf(() => resolveShippingSettings({ url: 'http://x', batchSize: 0 }, TEST_SERVICE, {}))).toMatch(
      /batchSize.*JTS_ES_BATCH_SIZE/,
    );
    expect(codeOf(() => resolveShippingSettings({ url: 'http://x', spoolMaxBytes: 100 }, TEST_SERVICE, {}))).toMatch(
      /spoolMaxBytes/,
    );
    expect(
      codeOf(() =>
        resolveShippingSettings({ url: 'http://x', spoolFullPolicy: 'drop-oldest' as never }, TEST_SERVICE, {}),
      ),
    ).toMatch(/spoolFullPolicy/);
    expect(
      codeOf(() => resolveShippingSettings({ url: 'http://x', errorStream: 'Bad Name' }, TEST_SERVICE, {})),
    ).toMatch(/errorStream/);
  });

  it('turns the error stream off with errorStream: false or JTS_ES_ERRORS_STREAM=false', () => {
    expect(
      resolveShippingSettings({ url: 'http://x' }, TEST_SERVICE, { JTS_ES_ERRORS_STREAM: 'false' }).settings
        .errorStream,
    ).toBeUndefined();
    expect(resolveShippingSettings({ url: 'http://x' }, TEST_SERVICE, {}).settings.errorStream).toBe('jts-errors');
  });

  it('ignores an invalid environment value with a warning and uses the default', () => {
    const { settings } = resolveShippingSettings({ url: 'http://x' }, TEST_SERVICE, { JTS_ES_BATCH_SIZE: 'lots' });
    expect(settings.batchSize).toBe(500);
  });
});

describe('spool lock', () => {
  it('lets one destination at a time use a spool directory, and takes over a dead owner lock', () => {
    const root = mkdtempSync(join(tmpdir(), 'jts-lock-'));
    try {
      const dir = join(root, 'spool');
      const release = acquireSpoolLock(dir);
      expect(codeOf(() => acquireSpoolLock(dir))).toMatch(/^JTS_ERR_SPOOL_LOCKED/);
      release();
      acquireSpoolLock(dir)();
      // Left by a process of this host that is not running: taken over at once, and reported.
      const seen: string[] = [];
      const stop = onDiagnostic((event) => seen.push(event.event));
      try {
        writeFileSync(
          join(dir, 'lock'),
          JSON.stringify({ pid: deadPid(), hostname: hostname(), token: 'old', since: '2026-01-01T00:00:00.000Z' }),
        );
        acquireSpoolLock(dir)();
      } finally {
        stop();
      }
      expect(seen).toContain('spool_lock_taken_over');
      // Held by a live process of this host (this test's parent): refused, naming it.
      writeFileSync(
        join(dir, 'lock'),
        JSON.stringify({ pid: process.ppid, hostname: hostname(), token: 'live', since: '2026-01-01T00:00:00.000Z' }),
      );
      expect(codeOf(() => acquireSpoolLock(dir))).toMatch(
        new RegExp(`^JTS_ERR_SPOOL_LOCKED: The log spool .* is locked by another writer \\(pid ${process.ppid} on `),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  // Root ignores permission bits, so this case only runs for other users; the next test covers the
  // same error path for everyone.
  it.skipIf(process.getuid?.() === 0)(
    'reports an unwritable spool directory as JTS_ERR_DESTINATION_UNAVAILABLE',
    () => {
      const root = mkdtempSync(join(tmpdir(), 'jts-lock-'));
      try {
        chmodSync(root, 0o500);
        expect(codeOf(() => acquireSpoolLock(join(root, 'spool')))).toMatch(
          /^JTS_ERR_DESTINATION_UNAVAILABLE: .*JTS_LOG_SPOOL_DIR/,
        );
      } finally {
        chmodSync(root, 0o700);
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

  it('reports a spool path that is a file as JTS_ERR_DESTINATION_UNAVAILABLE', () => {
    const root = mkdtempSync(join(tmpdir(), 'jts-lock-'));
    try {
      writeFileSync(join(root, 'file'), 'x');
      expect(codeOf(() => acquireSpoolLock(join(root, 'file', 'spool')))).toMatch(/^JTS_ERR_DESTINATION_UNAVAILABLE/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('shared counters', () => {
  it('publishes worker-side counters to the synchronous stats() snapshot', () => {
    const counters = createCounters();
    const buffer = createCounterBuffer();
    const shared = createCounters(buffer);
    shared.add('received', 5);
    shared.add('shipped', 3);
    shared.set('spooledBytes', 1234);
    expect(readStats(buffer, undefined).received).toBe(0); // not yet published
    shared.publish();
    expect(readStats(buffer, 'boom')).toMatchObject({
      received: 5,
      shipped: 3,
      spooledBytes: 1234,
      dropped: 0,
      lastError: 'boom',
    });
    expect(counters.get('received')).toBe(0);
  });
});
