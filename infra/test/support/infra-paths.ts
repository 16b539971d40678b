import { join } from 'node:path';

/** The `infra/` directory: the files the compose stack mounts. */
export const INFRA_DIR = join(import.meta.dirname, '..', '..');
/** `infra/prometheus/`, mounted at `/etc/prometheus/`. */
export const PROMETHEUS_DIR = join(INFRA_DIR, 'prometheus');
/** `infra/alertmanager/`, mounted at `/etc/alertmanager/`. */
export const ALERTMANAGER_DIR = join(INFRA_DIR, 'alertmanager');
/** `docs/runbooks/`: one runbook per alert name. */
export const RUNBOOKS_DIR = join(INFRA_DIR, '..', 'docs', 'runbooks');
/** Where the alerts' `runbook_url` annotations point: the repository's runbooks on GitHub. */
export const RUNBOOK_BASE_URL = 'https://github.com/jts-observability/jts-observability/blob/main/docs/runbooks';
