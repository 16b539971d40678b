// Renders the retention classes of @jts/compliance as Elasticsearch ILM policies and index
// templates under infra/elasticsearch/. Run from the repository root:
//   node --import tsx packages/compliance/scripts/generate-retention.ts          (write)
//   node --import tsx packages/compliance/scripts/generate-retention.ts --check  (exit 1 if stale)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRetentionFiles } from '../src/retention/render-elasticsearch.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '../../../infra/elasticsearch');
const check = process.argv.includes('--check');
let stale = 0;
for (const [path, content] of Object.entries(renderRetentionFiles())) {
  const file = join(target, path);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale += 1;
  if (check) console.error(`stale: infra/elasticsearch/${path}`);
  else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`wrote infra/elasticsearch/${path}`);
  }
}
if (check && stale > 0) process.exitCode = 1;
else if (stale === 0) console.log('infra/elasticsearch is up to date');
