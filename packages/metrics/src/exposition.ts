import type { Registry } from 'prom-client';
import { ExpositionSink } from './internal/exposition-sink.js';
import { type ExpositionFormat, writeFamily } from './internal/family-exposition.js';
import { isRegisteredFamily } from './internal/registered-family.js';
import type { SeriesFamily } from './internal/series-family.js';
import { escapeHelp, formatLabelPairs, formatValue } from './internal/text-format.js';

/** Content type of the Prometheus text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0.0 (the format that carries exemplars). */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Options of {@link serializeRegistry}. */
export interface SerializeOptions {
  /** Write OpenMetrics (with exemplars and `# EOF`) instead of Prometheus text. Default false. */
  readonly openMetrics?: boolean;
}

interface ForeignValue {
  labels?: Record<string, unknown>;
  sharedLabels?: Record<string, unknown>;
  value: number;
  metricName?: string;
  exemplar?: { labelSet: Record<string, unknown>; value: number; timestamp?: number } | null;
}

interface ForeignMetric {
  name: string;
  type: string;
  get(): Promise<{ name: string; help: string; type: string; values?: ForeignValue[] }>;
  getForPromString?(): Promise<{ name: string; help: string; type: string; values?: ForeignValue[] }>;
}

/** Formats a metric that is not ours (user metrics, default metrics) the way prom-client does, in either format. */
async function writeForeign(
  metric: ForeignMetric,
  openMetrics: boolean,
  defaults: Record<string, unknown>,
): Promise<string> {
  const data = typeof metric.getForPromString === 'function' ? await metric.getForPromString() : await metric.get();
  const isCounter = data.type === 'counter';
  const name = openMetrics && isCounter ? data.name.replace(/_total$/, '') : data.name;
  let out = `# HELP ${name} ${escapeHelp(data.help, openMetrics)}\n# TYPE ${name} ${data.type}\n`;
  for (const value of data.values ?? []) {
    let sample = value.metricName ?? name;
    if (openMetrics && isCounter) sample = `${sample.replace(/_total$/, '')}_total`;
    const shared = value.sharedLabels ?? {};
    const own = { ...(value.labels ?? {}) };
    for (const key of Object.keys(defaults))
      if (!Object.hasOwn(own, key) && !Object.hasOwn(shared, key)) own[key] = defaults[key];
    const pairs = [...formatLabelPairs(own, shared), ...formatLabelPairs(shared)];
    out += `${sample}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${formatValue(value.value)}`;
    if (openMetrics && value.exemplar) {
      out += ` # {${formatLabelPairs(value.exemplar.labelSet).join(',')}} ${formatValue(value.exemplar.value)}${value.exemplar.timestamp === undefined ? '' : ` ${value.exemplar.timestamp}`}`;
    }
    out += '\n';
  }
  return out;
}

/** Size of each registry's last scrape, so the next one allocates once. */
const lastSize = new WeakMap<Registry, number>();

/**
 * Writes the exposition of a whole registry as UTF-8 bytes (what the metrics handler sends).
 *
 * @internal
 */
export async function serializeRegistryToBytes(registry: Registry, options: SerializeOptions = {}): Promise<Buffer> {
  const openMetrics = options.openMetrics === true;
  const defaults = ((registry as unknown as { _defaultLabels?: Record<string, unknown> })._defaultLabels ??
    {}) as Record<string, unknown>;
  const defaultNames = Object.keys(defaults);
  const format: ExpositionFormat = {
    openMetrics,
    defaultLabelsFor: (family: SeriesFamily) =>
      defaultNames.length === 0
        ? ''
        : formatLabelPairs(
            Object.fromEntries(
              defaultNames.filter((name) => !family.labelNames.includes(name)).map((name) => [name, defaults[name]]),
            ),
          ).join(','),
  };
  const sink = new ExpositionSink(lastSize.get(registry) ?? 1 << 16);
  let first = true;
  for (const metric of registry.getMetricsAsArray() as unknown[]) {
    // Prometheus text separates families with a blank line, as prom-client does.
    if (!first && !openMetrics) sink.write('\n');
    first = false;
    if (isRegisteredFamily(metric)) {
      metric.collectNow();
      await writeFamily(metric.family, format, sink);
    } else {
      sink.write(await writeForeign(metric as ForeignMetric, openMetrics, defaults));
    }
  }
  if (openMetrics) sink.write('# EOF\n');
  const bytes = sink.bytes();
  lastSize.set(registry, bytes.length + (bytes.length >> 3));
  return bytes;
}

/**
 * Writes every metric of a prom-client registry: our catalog families through the fast writer,
 * any other metric (yours, default metrics) the way prom-client formats it. Either format can be
 * served from any registry, whatever its own content type.
 *
 * @param registry - the prom-client registry
 * @param options - format
 * @returns the exposition text
 * @example
 * const text = await serializeRegistry(registry, { openMetrics: true });
 */
export async function serializeRegistry(registry: Registry, options: SerializeOptions = {}): Promise<string> {
  return (await serializeRegistryToBytes(registry, options)).toString('utf8');
}
