import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { createDashboard, row } from './dashboard-kit.js';
import { INCIDENT_ONLY, table, timeseries } from './panel-kit.js';

const SERVICE = 'job=~"$job", instance=~"$instance"';
const HOST = 'instance=~"$node"';
const RATE = '[$__rate_interval]';

/** Scrape targets, Node.js processes, database pools and hosts (node-exporter). */
export function systemHealth(): DashboardBuilder {
  return createDashboard({
    uid: 'jts-system-health',
    title: 'JTS / System health',
    description:
      'Scrape targets, the Node.js processes of the JTS services, their database pools, and the hosts through node-exporter.',
    from: 'now-6h',
    jobMetric: 'up',
    variables: [
      { name: 'instance', label: 'Instance', metric: 'up', labelName: 'instance' },
      { name: 'node', label: 'Host', metric: 'node_uname_info', labelName: 'instance', byJob: false },
    ],
  })
    .withRow(row('Targets'))
    .withPanel(
      timeseries({
        title: 'Targets up by job',
        description: 'Scrape targets Prometheus reached at the last scrape, per job (`up`).',
        unit: 'short',
        queries: [{ expr: 'sum by (job) (up{job=~"$job"})', legend: '{{job}}' }],
      }),
    )
    .withPanel(
      table({
        title: 'Targets down',
        description: `Scrape targets Prometheus could not reach. ${INCIDENT_ONLY}`,
        unit: 'short',
        span: 12,
        queries: [{ expr: 'up{job=~"$job"} == 0', legend: '{{instance}}' }],
      }),
    )
    .withRow(row('Node.js processes'))
    .withPanel(
      timeseries({
        title: 'CPU usage by instance',
        description: 'CPU time per second of each service process (1 = one core), `process_cpu_seconds_total`.',
        unit: 'percentunit',
        queries: [
          { expr: `sum by (instance) (rate(process_cpu_seconds_total{${SERVICE}}${RATE}))`, legend: '{{instance}}' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Resident memory by instance',
        description: 'Resident set size of each service process.',
        unit: 'bytes',
        queries: [{ expr: `sum by (instance) (process_resident_memory_bytes{${SERVICE}})`, legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Heap used by instance',
        description: 'V8 heap in use (`nodejs_heap_size_used_bytes`).',
        unit: 'bytes',
        queries: [{ expr: `sum by (instance) (nodejs_heap_size_used_bytes{${SERVICE}})`, legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Event loop lag p99',
        description: 'p99 event-loop delay measured by prom-client (`nodejs_eventloop_lag_p99_seconds`).',
        unit: 's',
        queries: [{ expr: `max by (instance) (nodejs_eventloop_lag_p99_seconds{${SERVICE}})`, legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Garbage collection time by kind',
        description: 'Seconds spent in garbage collection per second (`nodejs_gc_duration_seconds`).',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (instance, kind) (rate(nodejs_gc_duration_seconds_sum{${SERVICE}}${RATE}))`,
            legend: '{{instance}} {{kind}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'File descriptors in use',
        description: 'Open file descriptors as a share of the process limit.',
        unit: 'percentunit',
        queries: [
          {
            expr: `max by (instance) (process_open_fds{${SERVICE}} / process_max_fds{${SERVICE}})`,
            legend: '{{instance}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Database pool utilisation',
        description:
          'Connections in use as a share of the pool maximum (`database_connection_pool_active / database_connection_pool_max`).',
        unit: 'percentunit',
        span: 24,
        queries: [
          {
            expr: 'max by (pool) (database_connection_pool_active{job=~"$job"} / database_connection_pool_max{job=~"$job"})',
            legend: '{{pool}}',
          },
        ],
      }),
    )
    .withRow(row('Hosts'))
    .withPanel(
      timeseries({
        title: 'Host CPU busy',
        description: 'Share of CPU time not idle, averaged over the cores (node-exporter).',
        unit: 'percentunit',
        queries: [
          {
            expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${HOST}, mode="idle"}${RATE}))`,
            legend: '{{instance}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Host memory available',
        description: 'Memory available to new work as a share of the total (node-exporter).',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (instance) (node_memory_MemAvailable_bytes{${HOST}}) / sum by (instance) (node_memory_MemTotal_bytes{${HOST}})`,
            legend: '{{instance}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Host disk space free',
        description: 'Free space per mount point as a share of its size (node-exporter; tmpfs and overlays left out).',
        unit: 'percentunit',
        queries: [
          {
            expr: `min by (instance, mountpoint) (node_filesystem_avail_bytes{${HOST}, fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{${HOST}, fstype!~"tmpfs|overlay|squashfs"})`,
            legend: '{{instance}} {{mountpoint}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Host load per core',
        description: 'One-minute load average divided by the number of cores (node-exporter).',
        unit: 'short',
        queries: [
          {
            expr: `sum by (instance) (node_load1{${HOST}}) / count by (instance) (rate(node_cpu_seconds_total{${HOST}, mode="idle"}${RATE}))`,
            legend: '{{instance}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Host network received',
        description: 'Bytes received per second on all interfaces except loopback (node-exporter).',
        unit: 'Bps',
        span: 24,
        queries: [
          {
            expr: `sum by (instance) (rate(node_network_receive_bytes_total{${HOST}, device!="lo"}${RATE}))`,
            legend: '{{instance}}',
          },
        ],
      }),
    );
}
