import { Registry } from 'prom-client';

/** A prom-client registry whose content type is OpenMetrics (prom-client's types omit the constructor argument). */
export function openMetricsRegistry(openMetrics = true): Registry {
  const RegistryWithType = Registry as unknown as new (contentType: string) => Registry;
  return new RegistryWithType(openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
}
