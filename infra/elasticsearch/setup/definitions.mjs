// What the one-shot setup creates in Elasticsearch: roles, users, the snapshot repository and its
// lifecycle policy. Data only, so the unit tests can read the privileges they check.
// Plain JavaScript: the setup container runs it with Node as it is, without a build step.

/** Log data streams @jts/log and Logstash write: `logs-jts.<service>-<namespace>` and `jts-errors`. */
export const LOG_STREAMS = ['logs-jts.*-*', 'jts-errors*'];
/** Audit copies Logstash forwards from the trail files: `jts-audit-<namespace>`. */
export const AUDIT_STREAMS = ['jts-audit-*'];
/** Jaeger's span, service and dependency indices. */
export const JAEGER_INDICES = ['jaeger-*'];

// Writers may only add documents (`create_doc`: no update, no delete, no overwrite) and let a
// matching template create the data stream on the first write (`auto_configure`).
const CREATE_ONLY = ['create_doc', 'auto_configure'];
const READ = ['read', 'view_index_metadata'];

/** Roles by name: bodies of `PUT _security/role/<name>`. */
export const ROLES = {
  jts_log_shipper: {
    description: 'Node services shipping with @jts/log: create documents in the JTS log data streams, nothing else.',
    cluster: [],
    indices: [{ names: LOG_STREAMS, privileges: CREATE_ONLY }],
  },
  jts_logstash_writer: {
    description: 'Logstash: create documents in the JTS log, error and audit data streams.',
    // Logstash's Elasticsearch output reads the cluster version and licence at start-up.
    cluster: ['monitor'],
    indices: [{ names: [...LOG_STREAMS, ...AUDIT_STREAMS], privileges: CREATE_ONLY }],
  },
  jts_jaeger: {
    description: 'Jaeger: its own daily span and service indices and their templates.',
    cluster: ['monitor', 'manage_index_templates'],
    indices: [{ names: JAEGER_INDICES, privileges: ['create_index', 'index', ...READ] }],
  },
  jts_log_reader: {
    description: 'Read the JTS logs, errors and audit copies (Grafana, analysts).',
    cluster: [],
    indices: [{ names: ['logs-jts.*', 'jts-errors*', ...AUDIT_STREAMS], privileges: READ }],
  },
  jts_kibana_reader: {
    description: 'Kibana spaces a log reader needs: Discover, dashboards and visualisations, read only.',
    cluster: [],
    indices: [],
    applications: [
      {
        application: 'kibana-.kibana',
        privileges: ['feature_discover.read', 'feature_dashboard.read', 'feature_visualize.read'],
        resources: ['*'],
      },
    ],
  },
};

/**
 * Users by name: roles and the environment variable holding the password. Built-in users
 * (`kibana_system`) only get their password set.
 */
export const USERS = {
  kibana_system: { builtIn: true, passwordEnv: 'KIBANA_SYSTEM_PASSWORD' },
  jts_log_shipper: { roles: ['jts_log_shipper'], passwordEnv: 'LOG_SHIPPER_PASSWORD', fullName: '@jts/log shippers' },
  jts_logstash_writer: {
    roles: ['jts_logstash_writer'],
    passwordEnv: 'LOGSTASH_WRITER_PASSWORD',
    fullName: 'Logstash pipelines',
  },
  jts_jaeger: { roles: ['jts_jaeger'], passwordEnv: 'JAEGER_ES_PASSWORD', fullName: 'Jaeger span storage' },
  jts_grafana_reader: {
    roles: ['jts_log_reader'],
    passwordEnv: 'GRAFANA_ES_PASSWORD',
    fullName: 'Grafana data sources',
  },
  jts_analyst: {
    roles: ['jts_log_reader', 'jts_kibana_reader'],
    passwordEnv: 'ANALYST_PASSWORD',
    fullName: 'Log analyst (Kibana)',
  },
};

/** Shared-file-system snapshot repository (the `path.repo` volume of the compose file). */
export const SNAPSHOT_REPOSITORY = {
  name: 'jts-snapshots',
  body: { type: 'fs', settings: { location: '/usr/share/elasticsearch/snapshots', compress: true } },
};

/** Nightly snapshot of the JTS data streams, kept 30 days (at least 5, at most 50 snapshots). */
export const SNAPSHOT_POLICY = {
  name: 'jts-nightly',
  body: {
    schedule: '0 30 1 * * ?',
    name: '<jts-nightly-{now/d}>',
    repository: SNAPSHOT_REPOSITORY.name,
    config: { indices: [...LOG_STREAMS, ...AUDIT_STREAMS], include_global_state: false, ignore_unavailable: true },
    retention: { expire_after: '30d', min_count: 5, max_count: 50 },
  },
};
