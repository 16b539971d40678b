// The one-shot Elasticsearch setup of the reference stack (service `elasticsearch-setup`):
// waits for the cluster, sets users and least-privilege roles, installs the ILM policies and index
// templates @jts/compliance generated (../manifest.json), and registers the snapshot repository and
// its lifecycle policy. Every request is a PUT/POST of a desired state, so running it again is safe.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROLES, SNAPSHOT_POLICY, SNAPSHOT_REPOSITORY, USERS } from './definitions.mjs';

const RETENTION_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs the whole setup against one cluster.
 *
 * @param {object} options
 * @param {string} options.url - Elasticsearch base URL, e.g. `http://elasticsearch:9200`
 * @param {string} options.elasticPassword - password of `elastic` (only the setup uses it)
 * @param {Record<string, string | undefined>} options.env - where the users' passwords are read (`USERS[*].passwordEnv`)
 * @param {string} [options.retentionDirectory] - directory of `manifest.json`; default `infra/elasticsearch`
 * @param {number} [options.waitTimeoutMs] - how long to wait for the cluster; default 300000
 * @param {number} [options.retryDelayMs] - pause between health checks; default 2000
 * @param {(line: string) => void} [options.log] - progress lines; default stdout
 * @returns {Promise<string[]>} the requests made, as `METHOD path`
 */
export async function runSetup(options) {
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const retentionDirectory = options.retentionDirectory ?? RETENTION_DIRECTORY;
  const passwords = {};
  for (const [user, spec] of Object.entries(USERS)) {
    const value = options.env[spec.passwordEnv];
    if (value === undefined || value.length < 12)
      throw new Error(`${spec.passwordEnv} (password of ${user}) must be set, at least 12 characters`);
    passwords[user] = value;
  }
  const authorization = `Basic ${Buffer.from(`elastic:${options.elasticPassword}`).toString('base64')}`;
  const done = [];
  const request = async (method, path, body) => {
    const response = await fetch(`${options.url}/${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /${path} answered ${response.status}: ${text.slice(0, 500)}`);
    done.push(`${method} /${path}`);
    return text === '' ? {} : JSON.parse(text);
  };

  const deadline = Date.now() + (options.waitTimeoutMs ?? 300_000);
  for (;;) {
    try {
      await request('GET', '_cluster/health?wait_for_status=yellow&timeout=5s');
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      log(`waiting for Elasticsearch: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 2000));
    }
  }

  for (const [name, body] of Object.entries(ROLES)) {
    await request('PUT', `_security/role/${name}`, body);
    log(`role ${name}`);
  }
  for (const [name, spec] of Object.entries(USERS)) {
    if (spec.builtIn) await request('POST', `_security/user/${name}/_password`, { password: passwords[name] });
    else
      await request('PUT', `_security/user/${name}`, {
        password: passwords[name],
        roles: spec.roles,
        full_name: spec.fullName,
      });
    log(`user ${name}`);
  }

  const manifest = JSON.parse(await readFile(join(retentionDirectory, 'manifest.json'), 'utf8'));
  for (const step of manifest.apply_in_order) {
    const [method, path] = step.request.split(' ');
    await request(method, path, JSON.parse(await readFile(join(retentionDirectory, step.file), 'utf8')));
    log(`${step.kind} ${step.name}`);
  }

  await request('PUT', `_snapshot/${SNAPSHOT_REPOSITORY.name}`, SNAPSHOT_REPOSITORY.body);
  await request('PUT', `_slm/policy/${SNAPSHOT_POLICY.name}`, SNAPSHOT_POLICY.body);
  log(`snapshot repository ${SNAPSHOT_REPOSITORY.name}, policy ${SNAPSHOT_POLICY.name}`);
  return done;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runSetup({
    url: process.env.ELASTICSEARCH_URL ?? 'http://elasticsearch:9200',
    elasticPassword: process.env.ELASTIC_PASSWORD ?? '',
    env: process.env,
  }).then(
    (requests) => console.log(`setup complete: ${requests.length} requests`),
    (error) => {
      console.error(`setup failed: ${error.message}`);
      process.exit(1);
    },
  );
}
