import { Registry } from 'prom-client';
import { familyName } from './family-exposition.js';
import { familyValues, type MetricValueData } from './prom-client-data.js';
import type { SeriesFamily } from './series-family.js';

/** Brand that marks our families inside a prom-client registry, across duplicate copies. */
export const FAMILY_BRAND: unique symbol = Symbol.for('jts.metrics.family.v1') as never;

/** What prom-client's registry reads from a metric. */
export interface MetricData {
  name: string;
  help: string;
  type: string;
  values: MetricValueData[];
  aggregator: string;
}

/**
 * A catalog family as prom-client sees it: the shape of prom-client's own metric classes
 * (`name`, `help`, `type`, `aggregator`, `get()`, `getForPromString()`, `reset()`), so
 * `registry.metrics()`, `getMetricsAsJSON()`, `resetMetrics()` and `AggregatorRegistry` work on it.
 *
 * @internal
 */
export class RegisteredFamily {
  readonly [FAMILY_BRAND] = true;
  readonly help: string;
  readonly type: string;
  readonly aggregator: string;
  readonly labelNames: readonly string[];

  constructor(
    readonly family: SeriesFamily,
    private readonly registry: Registry,
    private readonly beforeCollect: () => void,
  ) {
    const { definition } = family;
    this.help = definition.help;
    this.type = definition.type;
    this.labelNames = definition.labelNames;
    // Ratios and percentages of one strategy are averaged across cluster workers, levels summed.
    this.aggregator = definition.unit === 'percent' || definition.unit === 'ratio' ? 'average' : 'sum';
  }

  /** The catalog name; prom-client's OpenMetrics path tries to strip `_total` here, which we ignore. */
  get name(): string {
    return this.family.name;
  }

  set name(_ignored: string) {
    // prom-client renames counters in place for OpenMetrics; getForPromString returns the right name instead.
  }

  /** Values with labels merged (prom-client `get()`), for JSON and the cluster aggregator. */
  async get(): Promise<MetricData> {
    this.beforeCollect();
    return {
      name: this.family.name,
      help: this.help,
      type: this.type,
      values: familyValues(this.family, false),
      aggregator: this.aggregator,
    };
  }

  /** Values in the form `registry.metrics()` formats (histogram labels kept as `sharedLabels`). */
  async getForPromString(): Promise<MetricData> {
    this.beforeCollect();
    const openMetrics = (this.registry.contentType as string) === Registry.OPENMETRICS_CONTENT_TYPE;
    return {
      name: familyName(this.family, openMetrics),
      help: this.help,
      type: this.type,
      // For OpenMetrics counters prom-client appends `_total` to the bare family name itself.
      values: familyValues(this.family, true),
      aggregator: this.aggregator,
    };
  }

  /** Runs the collectors that refresh this family from stats objects (before a scrape). */
  collectNow(): void {
    this.beforeCollect();
  }

  /** Forgets every series. */
  reset(): void {
    this.family.reset();
  }
}

/** Whether a registered metric is one of our families. */
export function isRegisteredFamily(metric: unknown): metric is RegisteredFamily {
  return typeof metric === 'object' && metric !== null && (metric as Record<symbol, unknown>)[FAMILY_BRAND] === true;
}
