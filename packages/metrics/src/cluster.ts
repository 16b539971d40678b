import { AggregatorRegistry, type Registry } from 'prom-client';

let listening = false;

/**
 * In a cluster worker, names the registries the primary aggregates and starts answering its
 * requests. prom-client's `AggregatorRegistry.setRegistries` alone is not enough: the worker's
 * message listener is only installed when an `AggregatorRegistry` is constructed, so this does
 * both. The primary serves the sum with `metricsHandler({ cluster: true })`.
 *
 * @param registries - the worker's registries (for example `metrics.registry`)
 * @example
 * if (cluster.isWorker) useClusterWorkerRegistries(metrics.registry);
 */
export function useClusterWorkerRegistries(...registries: Registry[]): void {
  AggregatorRegistry.setRegistries(registries);
  if (!listening) {
    listening = true;
    new AggregatorRegistry();
  }
}
