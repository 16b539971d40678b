import { JtsError } from '@jts/core';
import { RETENTION_POLICIES, type RetentionPolicy } from './retention-policies.js';

/** The smallest number of days audit data must be kept before any delete phase. */
export const AUDIT_MIN_RETENTION_DAYS = 2557;

const META = { managed_by: '@jts/compliance', generated_by: 'packages/compliance/scripts/generate-retention.ts' };

/**
 * Renders a retention class as the body of `PUT _ilm/policy/<name>`: hot (rollover), warm
 * (read-only, force-merge), cold, delete at the retention age (counted from rollover).
 *
 * @param policy - the class
 * @returns the request body
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for an audit class that would delete before 2,557 days
 * @example
 * renderIlmPolicy(RETENTION_POLICIES[3]!); // { policy: { phases: { hot, warm, cold, delete } } }
 */
export function renderIlmPolicy(policy: RetentionPolicy): Record<string, unknown> {
  if (policy.mappings === 'audit' && policy.retentionDays < AUDIT_MIN_RETENTION_DAYS) {
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      `Audit retention must be at least ${AUDIT_MIN_RETENTION_DAYS} days, got ${policy.retentionDays}`,
    );
  }
  const warm: Record<string, unknown> = { forcemerge: { max_num_segments: 1 }, set_priority: { priority: 50 } };
  if (policy.mappings === 'audit') warm.readonly = {};
  return {
    policy: {
      _meta: {
        ...META,
        retention_class: policy.name,
        retention_days: policy.retentionDays,
        description: policy.description,
      },
      phases: {
        hot: {
          min_age: '0ms',
          actions: {
            rollover: { max_age: policy.rollover.maxAge, max_primary_shard_size: policy.rollover.maxPrimaryShardSize },
            set_priority: { priority: 100 },
          },
        },
        warm: { min_age: `${policy.warmAfterDays}d`, actions: warm },
        cold: { min_age: `${policy.coldAfterDays}d`, actions: { set_priority: { priority: 0 } } },
        delete: {
          min_age: `${policy.retentionDays}d`,
          actions: { delete: { delete_searchable_snapshot: policy.mappings !== 'audit' } },
        },
      },
    },
  };
}

const keyword = { type: 'keyword', ignore_above: 1024 };
const tradingFields = {
  properties: Object.fromEntries(
    [
      'order_id',
      'strategy_id',
      'symbol',
      'exchange',
      'side',
      'order_type',
      'broker',
      'account_id',
      'user_id',
      'order_status',
    ].map((name) => [name, keyword]),
  ),
};

function mappings(kind: RetentionPolicy['mappings']): Record<string, unknown> {
  if (kind === 'audit') {
    return {
      dynamic: 'false',
      properties: {
        '@timestamp': { type: 'date_nanos' },
        ts: { type: 'date_nanos' },
        seq: { type: 'long' },
        hash: keyword,
        prev: keyword,
        type: keyword,
        actor: keyword,
        correlation_id: keyword,
        trading: tradingFields,
        payload: { type: 'flattened' },
        service: { properties: { name: keyword } },
      },
    };
  }
  return {
    dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: keyword } }],
    properties: {
      '@timestamp': { type: 'date' },
      message: { type: 'match_only_text' },
      log: { properties: { level: keyword, logger: keyword } },
      correlation_id: keyword,
      trace: { properties: { id: keyword } },
      span: { properties: { id: keyword } },
      service: { properties: { name: keyword, version: keyword, environment: keyword } },
      trading: tradingFields,
      error: { properties: { type: keyword, message: { type: 'match_only_text' }, stack_trace: { type: 'wildcard' } } },
    },
  };
}

/**
 * Renders a retention class as the body of `PUT _index_template/<name>` for its data streams.
 *
 * @param policy - the class
 * @returns the request body
 * @example
 * renderIndexTemplate(RETENTION_POLICIES[0]!).index_patterns; // ['jts-errors*']
 */
export function renderIndexTemplate(policy: RetentionPolicy): Record<string, unknown> {
  return {
    index_patterns: [...policy.indexPatterns],
    data_stream: {},
    priority: policy.priority,
    template: {
      settings: {
        'index.lifecycle.name': policy.ilmPolicy,
        'index.number_of_replicas': 1,
        ...(policy.mappings === 'audit' && { 'index.mapping.total_fields.limit': 2000 }),
      },
      mappings: mappings(policy.mappings),
    },
    _meta: { ...META, retention_class: policy.name, retention_days: policy.retentionDays },
  };
}

/**
 * Every generated file under `infra/elasticsearch/`, by relative path, as formatted JSON text.
 *
 * @param policies - the classes (default {@link RETENTION_POLICIES})
 * @returns path to file content
 * @example
 * Object.keys(renderRetentionFiles()); // ['ilm/jts-error-logs.json', ...]
 */
export function renderRetentionFiles(
  policies: readonly RetentionPolicy[] = RETENTION_POLICIES,
): Record<string, string> {
  const files: Record<string, string> = {};
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const manifest: { kind: string; name: string; file: string; request: string }[] = [];
  for (const policy of policies) {
    files[`ilm/${policy.ilmPolicy}.json`] = text(renderIlmPolicy(policy));
    manifest.push({
      kind: 'ilm_policy',
      name: policy.ilmPolicy,
      file: `ilm/${policy.ilmPolicy}.json`,
      request: `PUT _ilm/policy/${policy.ilmPolicy}`,
    });
  }
  for (const policy of policies) {
    files[`index-templates/${policy.template}.json`] = text(renderIndexTemplate(policy));
    manifest.push({
      kind: 'index_template',
      name: policy.template,
      file: `index-templates/${policy.template}.json`,
      request: `PUT _index_template/${policy.template}`,
    });
  }
  files['manifest.json'] = text({ _meta: META, apply_in_order: manifest });
  return files;
}
