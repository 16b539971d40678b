import { type Context, type Span, trace } from '@opentelemetry/api';

// The key `trace.setSpan` and `trace.getSpan` use: the API makes it with `createContextKey`, which is
// `Symbol.for` of this description, so it is the same symbol in every copy of the API.
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/**
 * The OpenTelemetry context "parent + this span", built only when somebody reads it. Most
 * operation runs on a hot path (a sampled-out market-data update, a leaf order step) never ask
 * for the active context, and building it copies the parent's entries.
 */
class LazySpanContext implements Context {
  #context: Context | undefined;

  constructor(
    private readonly parent: Context,
    private readonly span: Span,
  ) {}

  #materialize(): Context {
    this.#context ??= trace.setSpan(this.parent, this.span);
    return this.#context;
  }

  getValue(key: symbol): unknown {
    // The usual read (the active span: exemplars, log lines, child spans) needs no context made.
    if (key === SPAN_KEY && this.#context === undefined) return this.span;
    return this.#materialize().getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.#materialize().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.#materialize().deleteValue(key);
  }
}

/** `trace.setSpan(parent, span)`, deferred until first read. */
export function lazySpanContext(parent: Context, span: Span): Context {
  return new LazySpanContext(parent, span);
}
