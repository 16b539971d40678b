// Live delivery: a real instrumented service under order flow, scraped by the real Prometheus 2.42
// with the shipped config and rules, routed by the real Alertmanager 0.25 with the shipped routes
// and templates, delivered to a loopback incident webhook, loopback Slack webhooks and a loopback
// SMTP server, then resolved. Exemplars lead back to the service's spans.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';
import { type RunningAlertmanager, startAlertmanager } from '../../../test/support/alertmanager.js';
import { requireBinary } from '../../../test/support/infra-binaries.js';
import type { ManagedProcess } from '../../../test/support/managed-process.js';
import { eventually, freePort, type RunningPrometheus, startPrometheus } from '../../../test/support/prometheus.js';
import { EXTERNAL_METRIC_NAMES } from '../support/external-metrics.js';
import { RUNBOOK_BASE_URL } from '../support/infra-paths.js';
import { type InstrumentedService, startInstrumentedService } from '../support/instrumented-service.js';
import { alertmanagerForTest, alertRulesForTest, prometheusConfigForTest } from '../support/loopback-configs.js';
import { startNodeExporter } from '../support/node-exporter.js';
import { documentedPrometheusFlags } from '../support/prometheus-flags.js';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const binaries = {
  prometheus: requireBinary('prometheus'),
  alertmanager: requireBinary('prometheus-alertmanager'),
  nodeExporter: requireBinary('prometheus-node-exporter'),
};
const ALERT = 'OrderExecutionLatencyHigh';
const SMTP_USER = 'alertmanager@example.org';
const secrets = { smtpPassword: randomBytes(12).toString('hex'), webhookToken: randomBytes(12).toString('hex') };

describe.skipIf(Object.values(binaries).includes(undefined))(
  'alert delivery through the shipped Prometheus and Alertmanager configs',
  () => {
    let otlp: OtlpReceiver;
    let service: InstrumentedService;
    let nodeExporter: { target: string; process: ManagedProcess };
    let webhooks: WebhookReceiver;
    let smtp: SmtpReceiver;
    let alertmanager: RunningAlertmanager;
    let prometheus: RunningPrometheus;

    const posts = (path: string, status?: string) =>
      webhooks.posts.filter(
        (post) =>
          post.path === path &&
          (status === undefined ||
            post.body.status === status ||
            post.body.attachments?.[0]?.title?.startsWith(`[${status.toUpperCase()}`)),
      );
    const mailsAbout = (subjectStart: string) => smtp.mails.filter((mail) => mail.subject.startsWith(subjectStart));

    beforeAll(async () => {
      otlp = await startOtlpReceiver();
      service = await startInstrumentedService({ otlpTracesUrl: otlp.url });
      nodeExporter = await startNodeExporter(binaries.nodeExporter!);
      webhooks = await startWebhookReceiver();
      smtp = await startSmtpReceiver({ username: SMTP_USER, password: secrets.smtpPassword });
      const shipped = alertmanagerForTest({
        smtpSmarthost: smtp.address,
        webhookBaseUrl: `${webhooks.url}/incident`,
        secrets: {
          alertmanager_smtp_password: secrets.smtpPassword,
          alertmanager_webhook_token: secrets.webhookToken,
          alertmanager_slack_platform_url: `${webhooks.url}/slack/platform`,
          alertmanager_slack_trading_url: `${webhooks.url}/slack/trading`,
          alertmanager_slack_market_data_url: `${webhooks.url}/slack/market-data`,
        },
        groupWait: '1s',
        groupInterval: '2s',
      });
      alertmanager = await startAlertmanager({ binary: binaries.alertmanager!, ...shipped });
      const alertmanagerHost = alertmanager.url.replace('http://', '');
      const port = await freePort();
      prometheus = await startPrometheus({
        binary: binaries.prometheus!,
        port,
        config: prometheusConfigForTest({
          targets: {
            'order-service': [service.target],
            'node-exporter': [nodeExporter.target],
            alertmanager: [alertmanagerHost],
            prometheus: [`127.0.0.1:${port}`],
          },
          alertmanagers: [alertmanagerHost],
        }),
        files: alertRulesForTest({ alerts: [ALERT], for: '1s', window: '10s' }),
        args: documentedPrometheusFlags(),
        env: { PROMETHEUS_REPLICA: 'prometheus-0' },
      });
    });

    afterAll(async () => {
      await prometheus?.stop();
      await alertmanager?.stop();
      await service?.close();
      await nodeExporter?.process.stop();
      await webhooks?.close();
      await smtp?.close();
      await otlp?.close();
    });

    it('fires when orders slow down, reaches the incident webhook, both Slack channels and the mailbox, then resolves', async () => {
      await eventually(
        async () =>
          (await prometheus.query('sum(rate(order_execution_total{service="order-service"}[5s])) > 0')).length > 0
            ? true
            : undefined,
        30_000,
        'order traffic in Prometheus',
      );
      service.setLatencyMs(700);

      // The incident webhook: Alertmanager's v4 payload, with the bearer token read from its secret file.
      const [incident] = await eventually(
        async () =>
          posts('/incident/alertmanager', 'firing').length > 0 ? posts('/incident/alertmanager', 'firing') : undefined,
        60_000,
        `the firing webhook\n${alertmanager.process.logs()}`,
      );
      expect(incident!.headers.authorization).toBe(`Bearer ${secrets.webhookToken}`);
      expect(incident!.body).toMatchObject({
        version: '4',
        receiver: 'critical',
        status: 'firing',
        groupLabels: { alertname: ALERT, service: 'order-service' },
      });
      expect(incident!.body.alerts).toHaveLength(1);
      const [alert] = incident!.body.alerts;
      // cluster comes from external_labels; replica was dropped by alert_relabel_configs (one alert for both replicas).
      expect(alert.labels).toEqual({
        alertname: ALERT,
        severity: 'critical',
        service: 'order-service',
        cluster: 'jts',
      });
      expect(alert.annotations.summary).toBe('Order execution p99 latency above 500ms on order-service');
      expect(alert.annotations.description).toMatch(
        /^The 99th percentile of order execution latency on order-service has been \d+(\.\d+)?ms over the last 5 minutes \(threshold 500ms\)\.$/,
      );
      expect(alert.annotations.runbook_url).toBe(`${RUNBOOK_BASE_URL}/${ALERT}.md`);

      // Slack: the critical channel through the global webhook URL, the trading channel through its own.
      const title = `[FIRING:1] ${ALERT} (critical) on order-service`;
      for (const [path, channel] of [
        ['/slack/platform', '#jts-critical'],
        ['/slack/trading', '#trading-alerts'],
      ] as const) {
        const [message] = await eventually(
          async () => (posts(path, 'firing').length > 0 ? posts(path, 'firing') : undefined),
          30_000,
          `the Slack message to ${channel}`,
        );
        expect(message!.body.channel).toBe(channel);
        const [attachment] = message!.body.attachments;
        expect(attachment).toMatchObject({ title, title_link: alert.annotations.runbook_url, color: 'danger' });
        expect(attachment.text).toBe(
          `*${alert.annotations.summary}*\n${alert.annotations.description}\nRunbook: ${alert.annotations.runbook_url}\n`,
        );
      }

      // Mail: logged in with the password from its secret file, the shipped subject and bodies.
      const [mail] = await eventually(
        async () => (mailsAbout('[FIRING').length > 0 ? mailsAbout('[FIRING') : undefined),
        30_000,
        'the firing mail',
      );
      expect(mail).toMatchObject({
        user: SMTP_USER,
        from: SMTP_USER,
        to: ['trading-oncall@example.org'],
        subject: title,
      });
      expect(mail!.text).toContain(
        `[FIRING] ${alert.annotations.summary}\n${alert.annotations.description}\nSeverity: critical\nService: order-service\n`,
      );
      expect(mail!.text).toContain(`Runbook: ${alert.annotations.runbook_url}`);
      expect(mail!.html).toContain(`<a href="${alert.annotations.runbook_url}">Runbook</a>`);
      expect(smtp.refusedLogins()).toBe(0);

      // The p95 warning fires in Prometheus too, but Alertmanager holds it back behind the critical.
      const warning = await eventually(
        async () =>
          (await alertmanager.alerts()).find(
            (candidate) => candidate.labels.alertname === ALERT && candidate.labels.severity === 'warning',
          ),
        30_000,
        'the warning in Alertmanager',
      );
      expect(warning.status.state).toBe('suppressed');
      expect(warning.status.inhibitedBy.length).toBe(1);

      service.setLatencyMs(2);
      await eventually(
        async () => (posts('/incident/alertmanager', 'resolved').length > 0 ? true : undefined),
        60_000,
        `the resolved webhook\n${prometheus.logs()}`,
      );
      // The trading channel's group also holds the p95 warning, resolved as well: Alertmanager lists
      // it in the resolved message although it never notified it, and the title then has no common severity.
      for (const [path, title] of [
        ['/slack/platform', /^\[RESOLVED\] OrderExecutionLatencyHigh \(critical\) on order-service$/],
        ['/slack/trading', /^\[RESOLVED\] OrderExecutionLatencyHigh( \(critical\))? on order-service$/],
      ] as const) {
        const [message] = await eventually(
          async () => (posts(path, 'resolved').length > 0 ? posts(path, 'resolved') : undefined),
          30_000,
          `the resolved Slack message on ${path}`,
        );
        expect(message!.body.attachments[0].title).toMatch(title);
        expect(message!.body.attachments[0].color).toBe('good');
      }
      const [resolvedMail] = await eventually(
        async () => (mailsAbout('[RESOLVED').length > 0 ? mailsAbout('[RESOLVED') : undefined),
        30_000,
        'the resolved mail',
      );
      expect(resolvedMail!.subject).toBe(`[RESOLVED] ${ALERT} (critical) on order-service`);
      expect(resolvedMail!.text).toMatch(/\nResolved: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/);

      // Nothing about this alert went to the data team, no firing notification carried the warning,
      // and the page went out once.
      const aboutAlert = webhooks.posts.filter((post) => JSON.stringify(post.body).includes(ALERT));
      expect(aboutAlert.filter((post) => post.path === '/slack/market-data')).toEqual([]);
      const firing = aboutAlert.filter(
        (post) => post.body.status === 'firing' || post.body.attachments?.[0]?.title?.startsWith('[FIRING'),
      );
      expect(firing.filter((post) => JSON.stringify(post.body).includes('p95'))).toEqual([]);
      expect(firing.map((post) => post.path).sort()).toEqual([
        '/incident/alertmanager',
        '/slack/platform',
        '/slack/trading',
      ]);
      expect(mailsAbout('[FIRING')).toHaveLength(1);
    });

    it('stores exemplars whose trace IDs are those of the exported order spans', async () => {
      const end = Date.now() / 1000 + 60;
      const exemplars = await eventually(
        async () => {
          const response = await fetch(
            `${prometheus.url}/api/v1/query_exemplars?query=${encodeURIComponent('order_execution_duration_seconds_bucket{service="order-service"}')}&start=${end - 900}&end=${end}`,
          );
          const body = (await response.json()) as {
            data: { exemplars: { labels: { trace_id: string; span_id: string } }[] }[];
          };
          const found = body.data.flatMap((series) => series.exemplars);
          return found.length >= 5 ? found : undefined;
        },
        30_000,
        'exemplars',
      );
      const spans = await eventually(
        async () => {
          const traceIds = new Set(otlp.spans.map((span) => span.traceId));
          return exemplars.every((exemplar) => traceIds.has(exemplar.labels.trace_id)) ? otlp.spans : undefined;
        },
        10_000,
        'every exemplar trace among the exported spans',
      );
      for (const exemplar of exemplars) {
        expect(
          spans.find((span) => span.traceId === exemplar.labels.trace_id && span.spanId === exemplar.labels.span_id)
            ?.resource['service.name'],
        ).toBe('order-service');
      }
    });

    it('finds every node-exporter, Prometheus and Alertmanager metric the rules name on the real exporters', async () => {
      // The remote_write series exist only with a remote_write queue: remote-write.test.ts checks them.
      const names = EXTERNAL_METRIC_NAMES.filter((name) => !name.startsWith('prometheus_remote_storage_'));
      const missing = await eventually(
        async () => {
          const absent: string[] = [];
          for (const name of names)
            if ((await prometheus.query(`count({__name__="${name}"})`)).length === 0) absent.push(name);
          return absent.length === 0 ? absent : undefined;
        },
        30_000,
        'the exporter metrics',
      );
      expect(missing).toEqual([]);
      const services = (await prometheus.query('count by (service) (up == 1)')) as { metric: { service: string } }[];
      expect(services.map((series) => series.metric.service).sort()).toEqual([
        'alertmanager',
        'node-exporter',
        'order-service',
        'prometheus',
      ]);
    });
  },
);
