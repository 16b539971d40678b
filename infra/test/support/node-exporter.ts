import { answersOk, type ManagedProcess, startManagedProcess } from '../../../test/support/managed-process.js';
import { freePort } from '../../../test/support/prometheus.js';

/** A node-exporter with the collectors the host alerts read (cpu, meminfo, filesystem). */
export async function startNodeExporter(binary: string): Promise<{ target: string; process: ManagedProcess }> {
  const port = await freePort();
  const process = await startManagedProcess({
    name: 'node-exporter',
    binary,
    args: [
      `--web.listen-address=127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.cpu',
      '--collector.meminfo',
      '--collector.filesystem',
      '--log.level=warn',
    ],
    ready: () => answersOk(`http://127.0.0.1:${port}/metrics`),
  });
  return { target: `127.0.0.1:${port}`, process };
}
