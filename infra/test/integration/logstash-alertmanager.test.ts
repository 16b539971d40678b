import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../../../test/support/infra-binaries.js';
import { pluginsOf, setting } from '../support/logstash-config.js';
import { emulatePipeline, renderMapping } from '../support/logstash-emulation.js';
import { logstashEnvironment, readPipeline } from '../support/logstash-files.js';
import { type LoopbackProcess, startAlertmanager } from '../support/loopback-process.js';

interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
  status: { state: string };
}

const binary = requireBinary('prometheus-alertmanager');
const failedOrder = (orderId: string, error: string) => ({
  'log.level': 'error',
  'service.name': 'fix-gateway',
  'event.action': 'order.execution',
  'error.type': error,
  message: `order ${orderId} failed: "venue closed"\nretry later`,
  correlation_id: `corr-${orderId}`,
  'trace.id': '4bf92f3577b34da6a3ce929d0e0e4736',
  order_id: orderId,
  strategy_id: 'mm-1',
  symbol: 'MSFT',
});

describe.skipIf(!binary)(
  'the order-execution alert of the Logstash pipeline, posted to a real Alertmanager (Debian 0.25)',
  () => {
    let alertmanager: LoopbackProcess;
    beforeAll(async () => {
      alertmanager = await startAlertmanager(binary!);
    });
    afterAll(async () => {
      await alertmanager?.stop();
    });

    it('the http output posts a json_batch Alertmanager accepts at /api/v2/alerts and serves back', async () => {
      const pipeline = readPipeline('sources', logstashEnvironment({ ALERTMANAGER_URL: alertmanager.url }));
      const events = [
        failedOrder('o-1', 'VENUE_CLOSED'),
        { ...failedOrder('o-2', 'TIMEOUT'), 'trace.id': undefined, correlation_id: undefined },
      ].map((line) => emulatePipeline(pipeline, JSON.parse(JSON.stringify(line))));
      const outputs = events.map((result) => result.outputs.find((output) => output.plugin.name === 'http')!);
      const http = outputs[0]!.plugin;
      expect(setting(http, 'format')).toBe('json_batch');
      expect(setting(http, 'http_method')).toBe('post');
      // json_batch: one JSON array, each event rendered through `mapping` (logstash-output-http).
      const body = JSON.stringify(events.map((result) => renderMapping(setting(http, 'mapping'), result.event)));
      expect(body).not.toContain('%{');
      const response = await fetch(outputs[0]!.render('url')!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status, await response.clone().text()).toBe(200);

      const alerts = (await (
        await fetch(
          `${alertmanager.url}/api/v2/alerts?filter=${encodeURIComponent('alertname="OrderExecutionFailed"')}`,
        )
      ).json()) as AlertmanagerAlert[];
      const byOrder = new Map(alerts.map((alert) => [alert.annotations.order_id, alert]));
      expect(byOrder.get('o-1')).toMatchObject({
        labels: {
          alertname: 'OrderExecutionFailed',
          severity: 'critical',
          source: 'logstash',
          service: 'fix-gateway',
          strategy_id: 'mm-1',
          symbol: 'MSFT',
          error_type: 'VENUE_CLOSED',
        },
        annotations: {
          correlation_id: 'corr-o-1',
          trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
          description: 'order o-1 failed: "venue closed"\nretry later',
        },
        status: { state: 'active' },
      });
      expect(byOrder.get('o-2')).toMatchObject({
        labels: { error_type: 'TIMEOUT' },
        annotations: { correlation_id: 'none', trace_id: 'none' },
      });
    });

    it('Alertmanager refuses what the pipeline must never send (the check is real)', async () => {
      const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ labels: { alertname: 'x' } }),
      });
      expect(response.status).toBe(400);
      expect(pluginsOf(readPipeline('sources').output).filter((plugin) => plugin.name === 'http')).toHaveLength(1);
    });
  },
);
