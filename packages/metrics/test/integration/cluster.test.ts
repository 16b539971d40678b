import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRaw } from '../support/http.js';
import { sampleKey as key, sampleMap } from '../support/parse-exposition.js';

const fixture = fileURLToPath(new URL('../fixtures/cluster-app.ts', import.meta.url));
const ORDER_LABELS = { strategy_id: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', order_type: 'limit' };

describe('node:cluster with real worker processes', () => {
  let primary: ChildProcess;
  let url: string;

  beforeAll(async () => {
    primary = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    primary.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`cluster fixture did not start:\n${stderr}`)), 60_000);
      primary.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
        if (line) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
        }
      });
      primary.once('exit', (code) => reject(new Error(`cluster fixture exited with ${code}:\n${stderr}`)));
    });
  });

  afterAll(async () => {
    if (primary && primary.exitCode === null) {
      primary.kill('SIGTERM');
      await new Promise((resolve) => primary.once('exit', resolve));
    }
  });

  it('sums pre-resolved series of every worker through AggregatorRegistry', async () => {
    const response = await fetchRaw(`${url}/metrics`);
    expect(response.status).toBe(200);
    const samples = sampleMap(response.body);
    // Worker 0 observed 1 + 1 times, worker 1 observed 2 + 2 times with the shared labels.
    expect(samples.get(key('order_execution_duration_seconds_count', ORDER_LABELS))).toBe(6);
    expect(samples.get(key('order_execution_duration_seconds_bucket', { ...ORDER_LABELS, le: '0.0025' }))).toBe(3);
    expect(samples.get(key('order_execution_duration_seconds_bucket', { ...ORDER_LABELS, le: '0.05' }))).toBe(6);
    expect(samples.get(key('order_execution_duration_seconds_sum', ORDER_LABELS))).toBeCloseTo(
      3 * 0.002 + 3 * 0.03,
      10,
    );
    expect(samples.get(key('order_execution_total', { ...ORDER_LABELS, status: 'filled' }))).toBe(3);
    expect(samples.get(key('order_execution_total', { ...ORDER_LABELS, symbol: 'ONLY-0', status: 'success' }))).toBe(1);
    expect(samples.get(key('order_execution_total', { ...ORDER_LABELS, symbol: 'ONLY-1', status: 'success' }))).toBe(1);
    // Ratios are averaged across workers, not summed.
    expect(samples.get(key('strategy_win_rate', { strategy_id: 'mm-1' }))).toBeCloseTo(0.5, 10);
    // Default metrics of worker 0 are aggregated too.
    expect([...samples.keys()].some((name) => name.startsWith('nodejs_heap_size_used_bytes'))).toBe(true);
  });

  it('aggregates again on the next scrape (no state kept in the primary)', async () => {
    const first = sampleMap((await fetchRaw(`${url}/metrics`)).body);
    const second = sampleMap((await fetchRaw(`${url}/metrics`)).body);
    expect(second.get(key('order_execution_duration_seconds_count', ORDER_LABELS))).toBe(
      first.get(key('order_execution_duration_seconds_count', ORDER_LABELS)),
    );
  });
});
