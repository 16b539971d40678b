import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Debian package that ships each binary the infra tests start (`.ci/run` installs them). */
const DEBIAN_PACKAGES: Readonly<Record<string, string>> = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
  'prometheus-node-exporter': 'prometheus-node-exporter',
  'victoria-metrics': 'victoria-metrics',
  vmalert: 'victoria-metrics',
  valgrind: 'valgrind',
};

/** Finds a binary on PATH (or /usr/bin); undefined when absent. */
export function findBinary(name: string): string | undefined {
  for (const directory of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']) {
    const candidate = join(directory, name);
    if (directory && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Whether missing infrastructure must fail the run instead of skipping (CI with `JTS_REQUIRE_INFRA=1`). */
export const infraRequired = process.env.JTS_REQUIRE_INFRA === '1';

/**
 * Returns the binary's path, or undefined with a clear skip message; throws when
 * `JTS_REQUIRE_INFRA=1` so CI cannot pass by skipping.
 */
export function requireBinary(name: string): string | undefined {
  const path = findBinary(name);
  if (path === undefined) {
    const message = `${name} not found on PATH: install the Debian package (apt-get install -y ${DEBIAN_PACKAGES[name] ?? name}) to run this test`;
    if (infraRequired) throw new Error(`${message} (JTS_REQUIRE_INFRA=1)`);
    console.warn(`SKIP: ${message}`);
  }
  return path;
}

/** In a test: the binary's path, or skip the test with a clear message (fail under `JTS_REQUIRE_INFRA=1`). */
export function binaryOrSkip(name: string, context: { skip: (note?: string) => void }): string {
  const path = requireBinary(name);
  if (path === undefined) context.skip(`${name} not installed`);
  return path!;
}
