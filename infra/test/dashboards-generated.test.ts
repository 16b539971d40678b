import { describe, expect, it } from 'vitest';
import { renderDashboards } from '../grafana/src/index.js';
import { readInfraFile, readInfraYaml } from './support/infra-files.js';
import { readDashboards } from './support/dashboards.js';

describe('dashboards as code', () => {
  it('the committed JSON is what the foundation SDK generates (run node --import tsx infra/grafana/generate-dashboards.ts)', () => {
    const rendered = renderDashboards();
    expect(Object.keys(rendered).sort()).toEqual([...readDashboards().keys()].sort());
    for (const [name, json] of Object.entries(rendered))
      expect(readInfraFile(`grafana/dashboards/${name}.json`), name).toBe(json);
  });

  it('uids are unique and stable, titles carry the JTS prefix', () => {
    const dashboards = [...readDashboards().values()];
    expect(new Set(dashboards.map((dashboard) => dashboard.uid)).size).toBe(dashboards.length);
    for (const dashboard of dashboards) {
      expect(dashboard.uid).toMatch(/^jts-[a-z-]+$/);
      expect(dashboard.title).toMatch(/^JTS \/ /);
    }
  });

  it('Grafana provisions the generated directory, and the compose file mounts it there', () => {
    const provider = readInfraYaml<{ providers: Array<{ options: { path: string } }> }>(
      'grafana/provisioning/dashboards/dashboards.yml',
    ).providers[0]!;
    expect(provider.options.path).toBe('/var/lib/grafana/dashboards');
    expect(readInfraFile('docker-compose.monitoring.yml')).toContain(
      './grafana/dashboards:/var/lib/grafana/dashboards:ro',
    );
  });
});
