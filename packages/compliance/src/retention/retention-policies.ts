/** One retention class of the source specification, with where its data lives in Elasticsearch. */
export interface RetentionPolicy {
  /** Class name. */
  readonly name: 'error-logs' | 'trading-logs' | 'system-logs' | 'audit';
  readonly description: string;
  /** Days the data must be kept (and, except for audit, may then be deleted). */
  readonly retentionDays: number;
  /** ILM policy name. */
  readonly ilmPolicy: string;
  /** Index template name. */
  readonly template: string;
  /** Data streams the template applies to. */
  readonly indexPatterns: readonly string[];
  /** Template priority: above Elasticsearch's built-in `logs-*-*` (100); system logs above trading logs. */
  readonly priority: number;
  /** Hot-phase rollover. */
  readonly rollover: { readonly maxAge: string; readonly maxPrimaryShardSize: string };
  /** Days after rollover to move to warm (read-only, force-merged) and cold. */
  readonly warmAfterDays: number;
  readonly coldAfterDays: number;
  /** Field mappings family. */
  readonly mappings: 'log' | 'audit';
}

/**
 * The retention classes: error logs 90 days, trading logs 365 days, system logs 30 days, audit
 * 2,557 days (7 years: SEC 17a-4 books and records, MiFID II order records up to 7 years).
 * `scripts/generate-retention.ts` renders them under `infra/elasticsearch/`.
 *
 * @example
 * RETENTION_POLICIES.find((policy) => policy.name === 'audit')?.retentionDays; // 2557
 */
export const RETENTION_POLICIES: readonly RetentionPolicy[] = Object.freeze([
  {
    name: 'error-logs',
    description: 'Error log lines (level >= error) that @jts/log also routes to the jts-errors data stream',
    retentionDays: 90,
    ilmPolicy: 'jts-error-logs',
    template: 'jts-errors',
    indexPatterns: ['jts-errors*'],
    priority: 200,
    rollover: { maxAge: '7d', maxPrimaryShardSize: '50gb' },
    warmAfterDays: 7,
    coldAfterDays: 30,
    mappings: 'log',
  },
  {
    name: 'trading-logs',
    description: 'Service logs shipped by @jts/log to logs-jts.<service>-<namespace>',
    retentionDays: 365,
    ilmPolicy: 'jts-trading-logs',
    template: 'logs-jts',
    indexPatterns: ['logs-jts.*-*'],
    priority: 200,
    rollover: { maxAge: '1d', maxPrimaryShardSize: '50gb' },
    warmAfterDays: 7,
    coldAfterDays: 30,
    mappings: 'log',
  },
  {
    name: 'system-logs',
    description: 'Infrastructure and host logs (dataset jts.system, e.g. from the Logstash pipeline)',
    retentionDays: 30,
    ilmPolicy: 'jts-system-logs',
    template: 'logs-jts-system',
    indexPatterns: ['logs-jts.system-*'],
    priority: 210,
    rollover: { maxAge: '1d', maxPrimaryShardSize: '50gb' },
    warmAfterDays: 3,
    coldAfterDays: 14,
    mappings: 'log',
  },
  {
    name: 'audit',
    description: 'Audit records indexed for search (the signed JSON-lines trail stays the record of truth)',
    retentionDays: 2557,
    ilmPolicy: 'jts-audit',
    template: 'jts-audit',
    indexPatterns: ['jts-audit-*'],
    priority: 200,
    rollover: { maxAge: '30d', maxPrimaryShardSize: '50gb' },
    warmAfterDays: 30,
    coldAfterDays: 180,
    mappings: 'audit',
  },
] as const satisfies readonly RetentionPolicy[]);
