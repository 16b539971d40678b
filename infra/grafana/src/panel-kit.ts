// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is Compose, Grafana or Logstash syntax, not a template literal
import {
  type DataSourceRef,
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel reads the Prometheus data source chosen in the dashboard's `datasource` variable. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/**
 * Marks a panel that stays empty while all is well (an overflow, a dropped span, a firing alert).
 * The live dashboard test lists these panels and accepts an empty answer from them only.
 */
export const INCIDENT_ONLY = 'Shows data only during an incident; empty is the healthy state.';

/** One PromQL query of a panel. */
export interface PanelQuery {
  readonly expr: string;
  /** Legend, e.g. `{{strategy_id}}`. */
  readonly legend?: string;
  /** Whether Grafana asks for the latest value only (stat and table panels). */
  readonly instant?: boolean;
  /** Turn exemplars on (latency panels: each dot links to its trace in Jaeger). */
  readonly exemplar?: boolean;
}

/** What every panel must say: a title, a unit and a description. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id: `s`, `reqps`, `percentunit`, `bytes`, `short`, ... */
  readonly unit: string;
  readonly queries: readonly PanelQuery[];
  /** Width in grid columns (24 per row). Default 12. */
  readonly span?: number;
  /** Height in grid rows. Default 8. */
  readonly height?: number;
  /** A shorter range than the dashboard's, e.g. `1h` (the raw panel with exemplars). */
  readonly timeFrom?: string;
}

function target(query: PanelQuery, index: number): DataqueryBuilder {
  const builder = new DataqueryBuilder()
    .expr(query.expr)
    .refId(String.fromCharCode(65 + index))
    .datasource(PROMETHEUS)
    .legendFormat(query.legend ?? '__auto');
  if (query.instant === true) builder.instant();
  else builder.range();
  if (query.exemplar === true) builder.exemplar(true);
  return builder;
}

/** A time-series panel. */
export function timeseries(spec: PanelSpec): TimeseriesBuilder {
  const panel = new TimeseriesBuilder()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(PROMETHEUS)
    .span(spec.span ?? 12)
    .height(spec.height ?? 8)
    .fillOpacity(10)
    .lineWidth(1)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    );
  if (spec.timeFrom !== undefined) panel.timeFrom(spec.timeFrom);
  spec.queries.forEach((query, index) => {
    panel.withTarget(target(query, index));
  });
  return panel;
}

/** A single-value panel (latest value of an instant query). */
export function stat(spec: PanelSpec): StatBuilder {
  const panel = new StatBuilder()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(PROMETHEUS)
    .span(spec.span ?? 6)
    .height(spec.height ?? 4);
  spec.queries.forEach((query, index) => {
    panel.withTarget(target({ ...query, instant: true }, index));
  });
  return panel;
}

/** A table of the latest values, one row per series. */
export function table(spec: PanelSpec): TableBuilder {
  const panel = new TableBuilder()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(PROMETHEUS)
    .span(spec.span ?? 24)
    .height(spec.height ?? 8);
  spec.queries.forEach((query, index) => {
    panel.withTarget(target({ ...query, instant: true }, index).format(PromQueryFormat.Table));
  });
  return panel;
}
