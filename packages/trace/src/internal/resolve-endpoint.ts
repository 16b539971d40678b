import { JtsError } from '@jts/core';

/** The OTLP encodings @jts/trace sends over HTTP. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Where and how spans are exported, resolved from options and `OTEL_EXPORTER_OTLP_*`. */
export interface OtlpEndpoint {
  readonly url: string;
  readonly protocol: OtlpProtocol;
}

export const DEFAULT_OTLP_URL = 'http://localhost:4318/v1/traces';
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

const isHttpUrl = (value: string): boolean => {
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};
const read = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

const warned = new Set<string>();
/** One coded warning per variable and value, the way core reports invalid variables. */
function warnInvalid(variable: string, value: string, message: string): void {
  const key = `${variable}=${value}`;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(`Ignoring invalid ${variable}=${JSON.stringify(value.slice(0, 200))}: ${message}`, {
    code: 'JTS_WARN_INVALID_ENV',
    type: 'JtsWarning',
  });
}

// Without a scheme, `new URL('collector:4318/v1/traces')` parses with `collector:` as the scheme,
// and the SDK would fail every export later; `127.0.0.1:4999` does not parse and the SDK falls
// back to localhost:4318 in silence. Both are caught here, at setup.
function resolveUrl(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option !== undefined) {
    if (typeof option === 'string' && isHttpUrl(option)) return option;
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      `Invalid option otlp.url: must be an http:// or https:// URL such as ${DEFAULT_OTLP_URL} (got ${JSON.stringify(option)}) (or set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)`,
    );
  }
  const specific = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  let fallback = DEFAULT_OTLP_URL;
  if (base !== undefined) {
    const url = `${base.replace(/\/+$/, '')}/v1/traces`;
    if (isHttpUrl(base)) fallback = url;
    else
      warnInvalid(
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        base,
        `not an http:// or https:// URL (did you mean http://${base}?); exporting spans to ${DEFAULT_OTLP_URL} instead`,
      );
  }
  if (specific === undefined) return fallback;
  if (isHttpUrl(specific)) return specific;
  warnInvalid(
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    specific,
    `not an http:// or https:// URL (did you mean http://${specific}?); exporting spans to ${fallback} instead`,
  );
  return fallback;
}

function resolveProtocol(option: OtlpProtocol | undefined, env: NodeJS.ProcessEnv): OtlpProtocol {
  if (option !== undefined) {
    if (PROTOCOLS.includes(option)) return option;
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      `Invalid option otlp.protocol: must be ${PROTOCOLS.join(' or ')} (got ${JSON.stringify(option)}) (or set OTEL_EXPORTER_OTLP_TRACES_PROTOCOL)`,
    );
  }
  for (const variable of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = read(env, variable);
    if (value === undefined) continue;
    const known = PROTOCOLS.find((protocol) => protocol === value.toLowerCase());
    if (known !== undefined) return known;
    const why =
      value.toLowerCase() === 'grpc'
        ? '@jts/trace exports over OTLP/HTTP only (the collector listens for it on port 4318)'
        : `use ${PROTOCOLS.join(' or ')}`;
    warnInvalid(variable, value, `${why}; sending http/protobuf`);
    return 'http/protobuf';
  }
  return 'http/protobuf';
}

/**
 * The OTLP endpoint: `otlp.url` > `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` >
 * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces` > `http://localhost:4318/v1/traces`, and the
 * encoding: `otlp.protocol` > `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` > `OTEL_EXPORTER_OTLP_PROTOCOL`
 * > `http/protobuf` (the specification's default). A bad option throws; a bad variable is
 * ignored with a `JTS_WARN_INVALID_ENV` warning naming it and saying where spans go instead.
 *
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad `otlp.url` or `otlp.protocol`
 */
export function resolveEndpoint(
  options: { readonly url?: string; readonly protocol?: OtlpProtocol } | undefined,
  env: NodeJS.ProcessEnv,
): OtlpEndpoint {
  return { url: resolveUrl(options?.url, env), protocol: resolveProtocol(options?.protocol, env) };
}
