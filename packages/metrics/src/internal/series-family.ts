import type { MetricDefinition } from '../catalog-types.js';
import type { ActiveSpanIds } from './exemplar-source.js';
import type { LabelProblem, LabelSanitizer } from './label-sanitizer.js';
import { OVERFLOW_LABEL_VALUE } from '../options.js';
import { Series } from './series.js';

/** What a family needs from its owner: sanitising, limits and where to report trouble. */
export interface FamilyContext {
  readonly sanitize: LabelSanitizer;
  readonly maxSeries: number;
  /** Longest label value kept: longer raw strings are never kept as cache keys. */
  readonly maxLabelValueLength: number;
  /** Called for a repaired or rejected label value (throws in strict mode). */
  onLabelProblem(metric: string, problem: Exclude<LabelProblem, undefined>, label: string): void;
  /** Called for each observation folded into the overflow series. */
  onOverflow(metric: string): void;
}

type Node = Map<unknown, Node | Series>;

const camelCase = (label: string) => label.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * A copy of a string that shares no memory with it. V8 represents `slice()` results as views of
 * their parent, so a 128-character label cut from a 64 KiB value would keep the 64 KiB alive.
 * UTF-16 code units round-trip exactly (lone surrogates included).
 */
function detach(value: string): string {
  return value.length === 0 ? '' : Buffer.from(value, 'utf16le').toString('utf16le');
}

/**
 * All series of one catalog metric. Label sets are resolved through nested maps keyed by the raw
 * values (no string building, no hashing of a joined key): a known combination costs one
 * `Map.get` per label. New combinations are sanitised, deduplicated and capped on first sight.
 *
 * Memory is bounded with the series: a series holds only its sanitised (cut) values, and a raw
 * value becomes a cache key only when it is a string no longer than `maxLabelValueLength` or a
 * number, boolean, null or undefined. Longer strings (already an invalid observation) and other
 * types are sanitised on every call instead of being kept.
 *
 * @internal
 */
export class SeriesFamily {
  readonly name: string;
  readonly labelNames: readonly string[];
  /** camelCase keys read from the recorder's labels object, in label order. */
  readonly labelKeys: readonly string[];
  readonly buckets: Float64Array | undefined;
  /** Whether values may go down (gauges): read on the hot path instead of comparing type strings. */
  readonly signed: boolean;
  /** Series in creation order, keyed by their sanitised values. */
  readonly series = new Map<string, Series>();
  overflow: Series | undefined;
  private root: Node = new Map();
  private aliases = 0;
  private single: Series | undefined;
  /** Incremented by {@link SeriesFamily.reset}, so held handles know to resolve again. */
  generation = 0;
  /** Value used when a label is undefined, by label index ('' unless the recorder sets one). */
  readonly defaults: string[];

  constructor(
    readonly definition: MetricDefinition,
    private readonly context: FamilyContext,
  ) {
    this.name = definition.name;
    this.labelNames = definition.labelNames;
    this.labelKeys = definition.labelNames.map(camelCase);
    this.buckets = definition.buckets ? Float64Array.from(definition.buckets) : undefined;
    this.defaults = definition.labelNames.map(() => '');
    this.signed = definition.type === 'gauge';
  }

  /** Number of series, the overflow series included. */
  get size(): number {
    return this.series.size + (this.overflow === undefined ? 0 : 1);
  }

  /** Resolves the series of a labels object keyed by camelCase names (hot path). */
  resolve(labels: Readonly<Record<string, unknown>> | undefined): Series {
    const keys = this.labelKeys;
    const last = keys.length - 1;
    if (last < 0) return (this.single ??= this.create([], ''));
    if (labels === undefined) return this.resolveSlow({});
    let node: Node | Series | undefined = this.root;
    for (let index = 0; index < last; index++) {
      node = (node as Node).get(labels[keys[index]!]);
      if (node === undefined) return this.resolveSlow(labels);
    }
    const found = (node as Node).get(labels[keys[last]!]);
    return found === undefined ? this.resolveSlow(labels) : (found as Series);
  }

  /**
   * Resolves the series of raw label values given in label order (hot path of the operation
   * recorders, which keep one such array each): the same series as {@link SeriesFamily.resolve} on
   * an object with these values under `labelKeys`. The same walk as `resolve`, reading an array
   * instead of an object: `resolve` does not copy its object into an array first, since it is the
   * path of every direct record call.
   */
  resolveValues(values: readonly unknown[]): Series {
    const last = this.labelKeys.length - 1;
    if (last < 0) return (this.single ??= this.create([], ''));
    let node: Node | Series | undefined = this.root;
    for (let index = 0; index < last; index++) {
      node = (node as Node).get(values[index]);
      if (node === undefined) return this.resolveRaw(values);
    }
    const found = (node as Node).get(values[last]);
    return found === undefined ? this.resolveRaw(values) : (found as Series);
  }

  /** Resolves by snake_case label names (the generic `series(name, labels)` API). */
  resolveByLabelNames(labels: Readonly<Record<string, unknown>>): Series {
    const byKey: Record<string, unknown> = {};
    for (let index = 0; index < this.labelNames.length; index++)
      byKey[this.labelKeys[index]!] = labels[this.labelNames[index]!];
    return this.resolve(byKey);
  }

  private resolveSlow(labels: Readonly<Record<string, unknown>>): Series {
    return this.resolveRaw(this.labelKeys.map((key) => labels[key]));
  }

  private resolveRaw(raw: readonly unknown[]): Series {
    const values: string[] = [];
    for (let index = 0; index < raw.length; index++) {
      const { value, problem } = this.context.sanitize(raw[index] ?? this.defaults[index]);
      if (problem !== undefined) this.context.onLabelProblem(this.name, problem, this.labelNames[index]!);
      values.push(value);
    }
    const key = values.join('\u0000');
    let series = this.series.get(key);
    if (series === undefined) {
      if (this.series.size >= this.context.maxSeries) {
        this.context.onOverflow(this.name);
        return (this.overflow ??= new Series(
          this.labelNames,
          this.labelNames.map(() => OVERFLOW_LABEL_VALUE),
          this.buckets?.length ?? 0,
        ));
      }
      series = this.create(values, key);
    }
    // Remember the raw combination, bounded so that many raw spellings of few series stay small.
    if (this.aliases < this.context.maxSeries * 4 && raw.every(this.cacheable)) this.alias(raw, series);
    return series;
  }

  /** Whether a raw value may stay in memory as a cache key: bounded in size, compared by value. */
  private readonly cacheable = (raw: unknown): boolean => {
    if (typeof raw === 'string') return raw.length <= this.context.maxLabelValueLength;
    return raw === undefined || raw === null || typeof raw === 'number' || typeof raw === 'boolean';
  };

  private create(values: string[], key: string): Series {
    const series = new Series(this.labelNames, values.map(detach), this.buckets?.length ?? 0);
    this.series.set(key, series);
    return series;
  }

  private alias(raw: readonly unknown[], series: Series): void {
    let node = this.root;
    for (let index = 0; index < raw.length - 1; index++) {
      let next = node.get(raw[index]) as Node | undefined;
      if (next === undefined) node.set(raw[index], (next = new Map()));
      node = next;
    }
    if (!node.has(raw[raw.length - 1])) {
      node.set(raw[raw.length - 1], series);
      this.aliases++;
    }
  }

  /** Bucket slot of a value (`buckets.length` is `+Inf`). */
  slotOf(value: number): number {
    const buckets = this.buckets!;
    let index = 0;
    while (index < buckets.length && value > buckets[index]!) index++;
    return index;
  }

  /** Observes a validated histogram value, with an exemplar when a span is given. */
  observe(series: Series, value: number, span: ActiveSpanIds | undefined): void {
    const slot = this.slotOf(value);
    series.counts![slot]!++;
    series.sum += value;
    series.count++;
    if (span !== undefined) series.setExemplar(slot, span.traceId, span.spanId, value, span.time);
  }

  /** Adds a validated non-negative amount to a counter. */
  increment(series: Series, amount: number, span: ActiveSpanIds | undefined): void {
    series.value += amount;
    if (span !== undefined) series.setExemplar(0, span.traceId, span.spanId, amount, span.time);
  }

  /** Forgets every series (prom-client `registry.resetMetrics()`). */
  reset(): void {
    this.series.clear();
    this.root = new Map();
    this.aliases = 0;
    this.single = undefined;
    this.overflow = undefined;
    this.generation++;
  }
}
