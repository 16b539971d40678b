// High availability for real: two Prometheus replicas (distinct `replica` external labels) send to
// two Alertmanagers gossiping on 127.0.0.1. The Alertmanager that would notify first is killed
// while the alert fires; the other one notifies, and every receiver gets the page exactly once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';
import { type RunningAlertmanager, startAlertmanager } from '../../../test/support/alertmanager.js';
import { requireBinary } from '../../../test/support/infra-binaries.js';
import { eventually, freePort, type RunningPrometheus, startPrometheus } from '../../../test/support/prometheus.js';
import { type InstrumentedService, startInstrumentedService } from '../support/instrumented-service.js';
import { alertmanagerForTest, alertRulesForTest, prometheusConfigForTest } from '../support/loopback-configs.js';
import { documentedPrometheusFlags } from '../support/prometheus-flags.js';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const binaries = { prometheus: requireBinary('prometheus'), alertmanager: requireBinary('prometheus-alertmanager') };
const ALERT = 'OrderExecutionLatencyHigh';
const PEER_TIMEOUT_SECONDS = 3;
const smtpPassword = randomBytes(12).toString('hex');

describe.skipIf(Object.values(binaries).includes(undefined))(
  'two Alertmanagers in a cluster and two Prometheus replicas',
  () => {
    let otlp: OtlpReceiver;
    let service: InstrumentedService;
    let webhooks: WebhookReceiver;
    let smtp: SmtpReceiver;
    const alertmanagers: RunningAlertmanager[] = [];
    const replicas: RunningPrometheus[] = [];

    beforeAll(async () => {
      otlp = await startOtlpReceiver({ keepSpans: false });
      service = await startInstrumentedService({ otlpTracesUrl: otlp.url });
      webhooks = await startWebhookReceiver();
      smtp = await startSmtpReceiver({ username: 'alertmanager@example.org', password: smtpPassword });
      const shipped = alertmanagerForTest({
        smtpSmarthost: smtp.address,
        webhookBaseUrl: `${webhooks.url}/incident`,
        secrets: {
          alertmanager_smtp_password: smtpPassword,
          alertmanager_webhook_token: 'token',
          alertmanager_slack_platform_url: `${webhooks.url}/slack/platform`,
          alertmanager_slack_trading_url: `${webhooks.url}/slack/trading`,
          alertmanager_slack_market_data_url: `${webhooks.url}/slack/market-data`,
        },
        // Long enough to kill the first Alertmanager after both hold the alert and before it notifies.
        groupWait: '6s',
        groupInterval: '2s',
      });
      const gossip = [await freePort(), await freePort()];
      const started = await Promise.all(
        gossip.map((port, index) =>
          startAlertmanager({
            binary: binaries.alertmanager!,
            ...shipped,
            cluster: { port, peers: [`127.0.0.1:${gossip[1 - index]}`] },
            args: [
              `--cluster.peer-timeout=${PEER_TIMEOUT_SECONDS}s`,
              '--cluster.pushpull-interval=2s',
              '--cluster.settle-timeout=5s',
            ],
          }),
        ),
      );
      alertmanagers.push(...started);
      const hosts = alertmanagers.map((alertmanager) => alertmanager.url.replace('http://', ''));
      for (const replica of ['prometheus-0', 'prometheus-1']) {
        replicas.push(
          await startPrometheus({
            binary: binaries.prometheus!,
            config: prometheusConfigForTest({ targets: { 'order-service': [service.target] }, alertmanagers: hosts }),
            files: alertRulesForTest({ alerts: [ALERT], for: '1s', window: '10s' }),
            args: documentedPrometheusFlags(),
            env: { PROMETHEUS_REPLICA: replica },
          }),
        );
      }
    });

    afterAll(async () => {
      for (const prometheus of replicas) await prometheus.stop();
      for (const alertmanager of alertmanagers) await alertmanager.stop();
      await service?.close();
      await webhooks?.close();
      await smtp?.close();
      await otlp?.close();
    });

    it('pages every receiver exactly once after the Alertmanager due to notify is killed', async () => {
      // Both Alertmanagers see each other before anything fires.
      for (const alertmanager of alertmanagers) {
        await eventually(
          async () => {
            const status = (await (await fetch(`${alertmanager.url}/api/v2/status`)).json()) as {
              cluster: { status: string; peers: unknown[] };
            };
            return status.cluster.status === 'ready' && status.cluster.peers.length === 2 ? true : undefined;
          },
          30_000,
          `the cluster of two\n${alertmanager.process.logs()}`,
        );
      }
      for (const prometheus of replicas) {
        await eventually(
          async () =>
            (await prometheus.query('sum(rate(order_execution_total[5s])) > 0')).length > 0 ? true : undefined,
          30_000,
          'order traffic',
        );
      }
      service.setLatencyMs(700);

      // Both replicas fire it (each with its own replica label)...
      for (const [index, prometheus] of replicas.entries()) {
        await eventually(
          async () => {
            const alerts = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as {
              data: { alerts: { labels: Record<string, string>; state: string }[] };
            };
            return alerts.data.alerts.some(
              (alert) =>
                alert.labels.alertname === ALERT && alert.labels.severity === 'critical' && alert.state === 'firing',
            )
              ? true
              : undefined;
          },
          30_000,
          `the alert firing in prometheus-${index}`,
        );
        const config = (await (await fetch(`${prometheus.url}/api/v1/status/config`)).json()) as {
          data: { yaml: string };
        };
        expect(config.data.yaml).toContain(`replica: prometheus-${index}`);
      }
      // ...and each Alertmanager holds it once: alert_relabel_configs dropped the replica label.
      for (const alertmanager of alertmanagers) {
        const critical = await eventually(
          async () => {
            const found = (await alertmanager.alerts()).filter(
              (alert) => alert.labels.alertname === ALERT && alert.labels.severity === 'critical',
            );
            return found.length > 0 ? found : undefined;
          },
          30_000,
          'the alert in both Alertmanagers',
        );
        expect(critical).toHaveLength(1);
        expect(critical[0]!.labels.replica).toBeUndefined();
        expect(critical[0]!.labels.cluster).toBe('jts');
      }
      // The peer at position 0 notifies first; the other waits peer_timeout for its notification log.
      const positions = await Promise.all(
        alertmanagers.map(async (alertmanager) =>
          Number(
            /^alertmanager_peer_position (\d+)$/m.exec(await (await fetch(`${alertmanager.url}/metrics`)).text())?.[1],
          ),
        ),
      );
      expect(positions.sort()).toEqual([0, 1]);
      const first = alertmanagers.find((_alertmanager, index) => positions[index] === 0)!;
      const survivor = alertmanagers.find((alertmanager) => alertmanager !== first)!;
      const killedAt = Date.now();
      await first.process.kill();

      const firing = () =>
        webhooks.posts.filter(
          (post) =>
            JSON.stringify(post.body).includes(ALERT) &&
            (post.body.status === 'firing' || post.body.attachments?.[0]?.title?.startsWith('[FIRING')),
        );
      await eventually(
        async () => (firing().length >= 3 && smtp.mails.length >= 1 ? true : undefined),
        60_000,
        `the surviving Alertmanager's notifications\n${survivor.process.logs()}`,
      );
      // Several more group intervals and peer timeouts: no duplicate arrives.
      await new Promise((resolve) => setTimeout(resolve, (2 * PEER_TIMEOUT_SECONDS + 4) * 1000));
      expect(
        firing()
          .map((post) => post.path)
          .sort(),
      ).toEqual(['/incident/alertmanager', '/slack/platform', '/slack/trading']);
      for (const post of firing()) expect(post.at).toBeGreaterThan(killedAt);
      expect(smtp.mails.filter((mail) => mail.subject.startsWith(`[FIRING:1] ${ALERT}`))).toHaveLength(1);
      expect(smtp.mails[0]!.at).toBeGreaterThan(killedAt);
    });
  },
);
