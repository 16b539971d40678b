import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { createDashboard, row } from './dashboard-kit.js';
import { INCIDENT_ONLY, table, timeseries } from './panel-kit.js';

const RATE = '[$__rate_interval]';

/** Alerts firing now and over time, rule evaluation and Alertmanager's notifications. */
export function alertsOverview(): DashboardBuilder {
  return createDashboard({
    uid: 'jts-alerts-overview',
    title: 'JTS / Alerts overview',
    description:
      'Alerts from the Prometheus rules (firing and pending), rule evaluation health and Alertmanager notification delivery. Alert definitions live in Prometheus rule files, not in Grafana.',
    from: 'now-24h',
    jobMetric: 'up',
  })
    .withRow(row('Alerts'))
    .withPanel(
      table({
        title: 'Firing alerts',
        description: `Alerts firing now, by name and severity (\`ALERTS\`). ${INCIDENT_ONLY}`,
        unit: 'short',
        queries: [{ expr: 'sum by (alertname, severity) (ALERTS{alertstate="firing"})', legend: '{{alertname}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Firing alerts by severity',
        description: `Number of firing alerts over time, by severity. ${INCIDENT_ONLY}`,
        unit: 'short',
        queries: [{ expr: 'count by (severity) (ALERTS{alertstate="firing"})', legend: '{{severity}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Pending alerts',
        description: `Alerts whose condition holds but whose \`for\` period has not elapsed. ${INCIDENT_ONLY}`,
        unit: 'short',
        queries: [{ expr: 'count by (alertname) (ALERTS{alertstate="pending"})', legend: '{{alertname}}' }],
      }),
    )
    .withRow(row('Rule evaluation and notification'))
    .withPanel(
      timeseries({
        title: 'Rule evaluation failures',
        description: 'Rule evaluations per second that failed, by rule group (Prometheus self-metrics).',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total{job=~"$job"}${RATE}))`,
            legend: '{{rule_group}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Rule group evaluation time',
        description:
          'Duration of the last evaluation of each rule group; it should stay well below the evaluation interval.',
        unit: 's',
        queries: [
          {
            expr: 'max by (rule_group) (prometheus_rule_group_last_duration_seconds{job=~"$job"})',
            legend: '{{rule_group}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Notifications sent by integration',
        description: 'Notifications Alertmanager sent per second by integration (email, Slack, webhook).',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (integration) (rate(alertmanager_notifications_total{job=~"$job"}${RATE}))`,
            legend: '{{integration}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failed notifications by integration',
        description: 'Notifications Alertmanager could not deliver, per second, by integration.',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (integration) (rate(alertmanager_notifications_failed_total{job=~"$job"}${RATE}))`,
            legend: '{{integration}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Alerts held by Alertmanager',
        description: 'Alerts Alertmanager holds, by state (active, suppressed, unprocessed).',
        unit: 'short',
        queries: [{ expr: 'sum by (state) (alertmanager_alerts{job=~"$job"})', legend: '{{state}}' }],
      }),
    );
}
