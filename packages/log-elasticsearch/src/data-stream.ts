/**
 * Elasticsearch data-stream naming: `<type>-<dataset>-<namespace>`, where neither dataset nor
 * namespace may contain `-` and both are lowercase (Elastic's data stream naming scheme).
 * A service called `Order-Service` therefore ships to `logs-jts.order_service-default`.
 */
const INVALID_CHARACTERS = /[^a-z0-9._]/g;

/**
 * Turns a free-form name into a valid dataset or namespace part.
 *
 * @param raw - service name or namespace as configured
 * @returns lowercase, `-` and other invalid characters replaced by `_`, at most 100 characters
 */
export function sanitizeDataStreamPart(raw: string): string {
  const cleaned = raw
    .trim()
    .toLowerCase()
    .replace(INVALID_CHARACTERS, '_')
    .replace(/^[._]+/, '');
  return (cleaned === '' ? 'unknown' : cleaned).slice(0, 100);
}

/**
 * The data stream a service's lines are written to.
 *
 * @param serviceName - `service.name`
 * @param namespace - data stream namespace, e.g. `default` or `production`
 * @returns e.g. `logs-jts.order_service-production`
 */
export function dataStreamName(serviceName: string, namespace: string): string {
  return `logs-jts.${sanitizeDataStreamPart(serviceName)}-${sanitizeDataStreamPart(namespace)}`;
}
