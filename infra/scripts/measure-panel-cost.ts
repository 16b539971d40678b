// Query cost of every dashboard panel against a week of synthetic history (docs/guides/stack.md,
// "Query cost"). A benchmark, run by hand (it takes minutes and loads both cores):
//   node --import tsx infra/scripts/measure-panel-cost.ts [--days 7] [--interval 30]
// 1. writes the synthetic desk's history in 2-hour OpenMetrics windows and backfills each with
//    `promtool tsdb create-blocks-from openmetrics`;
// 2. starts Prometheus on it, backfills the recording rules with `promtool tsdb create-blocks-from
//    rules`, restarts it and waits until compaction settles;
// 3. runs every panel query as Grafana would over its dashboard's default range (step and
//    $__rate_interval from the range, 1000 points, the history's scrape interval), 5 times, and
//    records the median time and the samples Prometheus read (stats=all);
// 4. writes infra/scripts/results/panel-cost.json and the table in docs/guides/stack.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary } from '../../test/support/infra-binaries.js';
import { startPrometheus } from '../../test/support/prometheus.js';
import { readDashboards, recordingRules } from '../test/support/dashboards.js';
import { panelQueries, substituteVariables } from '../test/support/panel-queries.js';
import { grafanaInterval, rangeOf } from './grafana-interval.js';
import { writeOpenMetricsWindow } from './openmetrics-history.js';
import { deskFamilies, MEASURED_DESK, seriesCount } from './synthetic-desk.js';

const argument = (name: string, fallback: number) =>
  Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? fallback) || fallback;
const days = argument('days', 7);
const interval = argument('interval', 30);
const infra = fileURLToPath(new URL('..', import.meta.url));
const prometheusBinary = findBinary('prometheus');
const promtool = findBinary('promtool');
if (!prometheusBinary || !promtool) throw new Error('prometheus and promtool are needed (apt-get install prometheus)');

const run = (args: string[]) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(promtool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`promtool ${args.join(' ')}: ${errors}`))));
  });

const directory = mkdtempSync(join(tmpdir(), 'jts-panel-cost-'));
const data = join(directory, 'data');
mkdirSync(data);
const families = deskFamilies(MEASURED_DESK);
const end = Math.floor(Date.now() / 1000 / 7200) * 7200;
const start = end - days * 86_400;
const started = Date.now();
let samples = 0;

// Backfill: one window file per 2-hour block (promtool re-reads its input for every block), two at a time.
const windows: number[] = [];
for (let from = start; from < end; from += 7200) windows.push(from);
const workers = Math.max(1, Math.min(2, cpus().length));
let next = 0;
await Promise.all(
  Array.from({ length: workers }, async () => {
    while (next < windows.length) {
      const from = windows[next++]!;
      const file = join(directory, `window-${from}.om`);
      // Not `samples += await ...`: that reads `samples` before the await and loses the other worker's count.
      const written = await writeOpenMetricsWindow(file, families, start, from, from + 7200, interval);
      samples += written;
      await run(['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, data]);
      rmSync(file);
      process.stdout.write(`\rbackfilled ${windows.indexOf(from) + 1}/${windows.length} windows`);
    }
  }),
);
const backfillSeconds = (Date.now() - started) / 1000;
console.log(`\n${samples} samples of ${seriesCount(families)} series in ${backfillSeconds.toFixed(0)} s`);

const rules = readFileSync(join(infra, 'prometheus/rules/recording-rules.yml'), 'utf8');
const config =
  'global:\n  scrape_interval: 30s\n  evaluation_interval: 30s\nrule_files: ["{{dir}}/recording-rules.yml"]\n';
const launch = () =>
  startPrometheus({
    binary: prometheusBinary,
    config,
    files: { 'recording-rules.yml': rules },
    dataDirectory: data,
    args: ['--storage.tsdb.retention.time=30d'],
  });
let prometheus = await launch();
const rulesOutput = join(directory, 'rule-blocks');
await run([
  'tsdb',
  'create-blocks-from',
  'rules',
  `--start=${start}`,
  `--end=${end}`,
  `--url=${prometheus.url}`,
  `--output-dir=${rulesOutput}`,
  '-q',
  join(prometheus.directory, 'recording-rules.yml'),
]);
await prometheus.stop();
for (const block of readdirSync(rulesOutput)) renameSync(join(rulesOutput, block), join(data, block));
prometheus = await launch();
const blocks = () => readdirSync(data).filter((name) => /^[0-9A-Z]{26}$/.test(name)).length;
let stable = 0;
let last = blocks();
// Prometheus compacts once a minute: wait for three unchanged counts a minute apart (10 minutes at most).
for (let waited = 0; stable < 3 && waited < 600; waited += 60) {
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  const now = blocks();
  stable = now === last ? stable + 1 : 0;
  last = now;
}
console.log(`${last} blocks after compaction`);

interface Measurement {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
  readonly range: string;
  readonly medianMs: number;
  readonly samples: number | undefined;
  readonly series: number;
  /** For a panel reading a recording rule: the same query on the raw series. */
  readonly raw?: { readonly medianMs: number; readonly samples: number | undefined };
}

const dashboards = readDashboards();
const ruleExpressions = recordingRules();
const measure = async (expr: string, from: string, instant: boolean) => {
  const range = rangeOf(from);
  const { stepSeconds, rateIntervalSeconds } = grafanaInterval(range, interval);
  const query = encodeURIComponent(substituteVariables(expr, `${rateIntervalSeconds}s`));
  const url = instant
    ? `${prometheus.url}/api/v1/query?query=${query}&time=${end}&stats=all`
    : `${prometheus.url}/api/v1/query_range?query=${query}&start=${end - range}&end=${end}&step=${stepSeconds}&stats=all`;
  const times: number[] = [];
  let body:
    | {
        status: string;
        error?: string;
        data: { result: unknown[]; stats?: { samples?: { totalQueryableSamples?: number } } };
      }
    | undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    const began = performance.now();
    body = (await (await fetch(url)).json()) as typeof body;
    if (attempt > 0) times.push(performance.now() - began);
  }
  if (body!.status !== 'success') throw new Error(`${expr}: ${body!.error}`);
  times.sort((a, b) => a - b);
  return {
    medianMs: Number(times[2]!.toFixed(1)),
    samples: body!.data.stats?.samples?.totalQueryableSamples,
    series: body!.data.result.length,
  };
};

const results: Measurement[] = [];
for (const query of panelQueries(dashboards)) {
  const { from } = query;
  const measured = await measure(query.expr, from, query.instant);
  let raw: Measurement['raw'];
  for (const [name, ruleExpr] of ruleExpressions) {
    if (!query.expr.includes(name)) continue;
    const inline = query.expr.replace(
      new RegExp(`${name.replaceAll(':', '\\:')}(\\{[^}]*\\})?`, 'g'),
      (_whole, matchers: string | undefined) =>
        `(${matchers ? ruleExpr.replace(/(\w+)\[5m\]/, `$1${matchers}[5m]`) : ruleExpr})`,
    );
    const { series: _series, ...cost } = await measure(inline, from, query.instant);
    raw = cost;
  }
  results.push({
    dashboard: query.dashboard,
    panel: query.panel,
    expr: query.expr,
    range: from,
    ...measured,
    ...(raw && { raw }),
  });
  process.stdout.write(`\r${results.length} queries measured`);
}
await prometheus.stop();
rmSync(directory, { recursive: true, force: true });

const version = spawnSync(prometheusBinary, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
const summary = {
  date: new Date().toISOString().slice(0, 10),
  prometheus: version,
  days,
  intervalSeconds: interval,
  series: seriesCount(families),
  samples,
  backfillSeconds: Math.round(backfillSeconds),
  blocks: last,
  results,
};
mkdirSync(join(infra, 'scripts/results'), { recursive: true });
writeFileSync(join(infra, 'scripts/results/panel-cost.json'), `${JSON.stringify(summary, null, 2)}\n`);

// The table of docs/guides/stack.md, between its markers.
const rows = results.map(
  (row) =>
    `| ${row.dashboard} | ${row.panel} | ${row.range.replace('now-', '')} | ${row.medianMs} | ${row.samples?.toLocaleString('en-US') ?? 'n/a'} | ${row.raw ? `${row.raw.medianMs} ms, ${row.raw.samples?.toLocaleString('en-US') ?? 'n/a'} samples` : ''} |`,
);
const table = [
  `Measured ${summary.date} with ${version}: ${summary.series.toLocaleString('en-US')} series, ${days} days at ${interval} s (${samples.toLocaleString('en-US')} samples, ${last} blocks after compaction). Median of 5 runs after one warm-up; samples as reported by \`stats=all\`.`,
  '',
  '| dashboard | panel | range | median ms | samples read | same query on raw series |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n');
const guide = join(infra, '../docs/guides/stack.md');
const text = readFileSync(guide, 'utf8');
writeFileSync(
  guide,
  text.replace(
    /<!-- panel-cost:start -->[\s\S]*<!-- panel-cost:end -->/,
    `<!-- panel-cost:start -->\n${table}\n<!-- panel-cost:end -->`,
  ),
);
console.log(`\nwrote infra/scripts/results/panel-cost.json and the table of docs/guides/stack.md`);
