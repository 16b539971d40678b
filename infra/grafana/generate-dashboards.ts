// Writes the dashboards as code to infra/grafana/dashboards/*.json, the files Grafana provisions.
//   node --import tsx infra/grafana/generate-dashboards.ts          regenerate
//   node --import tsx infra/grafana/generate-dashboards.ts --check  exit 1 when a file is stale
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderDashboards } from './src/index.js';

const directory = fileURLToPath(new URL('./dashboards/', import.meta.url));
const rendered = renderDashboards();
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [name, json] of Object.entries(rendered)) {
  const path = `${directory}${name}.json`;
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === json) continue;
  stale.push(name);
  if (!check) writeFileSync(path, json);
}
const extra = readdirSync(directory).filter((file) => file.endsWith('.json') && !(file.slice(0, -5) in rendered));
if (check && (stale.length > 0 || extra.length > 0)) {
  console.error(
    `stale dashboards: ${[...stale, ...extra].join(', ')}; run node --import tsx infra/grafana/generate-dashboards.ts`,
  );
  process.exit(1);
}
console.log(check ? 'dashboards are current' : `wrote ${stale.length} dashboard(s)`);
