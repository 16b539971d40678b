import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './panel-kit.js';

/** A templated label filter: `label_values(<metric>{job=~"$job"}, <label>)`, multi-select, "All" = `.*`. */
export interface LabelVariable {
  /** Variable name, used as `$name` in queries. */
  readonly name: string;
  readonly label: string;
  /** Metric whose label values fill the list. */
  readonly metric: string;
  /** Label to list. */
  readonly labelName: string;
  /** Restrict the list by the job variable. Default true. */
  readonly byJob?: boolean;
}

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Default time range, e.g. `now-6h`. */
  readonly from: string;
  /** The metric whose `job` values fill the job variable (a catalog metric this dashboard reads). */
  readonly jobMetric: string;
  readonly variables?: readonly LabelVariable[];
}

function labelVariable(variable: LabelVariable): QueryVariableBuilder {
  const selector = variable.byJob === false ? variable.metric : `${variable.metric}{job=~"$job"}`;
  const query = `label_values(${selector}, ${variable.labelName})`;
  return new QueryVariableBuilder(variable.name)
    .label(variable.label)
    .datasource(PROMETHEUS)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

/**
 * A dashboard with the house defaults: tagged `jts`, browser time zone, refresh 30 s, shared
 * crosshair, a Prometheus data source variable and a `job` variable, then its own variables.
 */
export function createDashboard(options: DashboardOptions): DashboardBuilder {
  const builder = new DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags(['jts', 'generated'])
    .timezone('browser')
    .refresh('30s')
    .time({ from: options.from, to: 'now' })
    .tooltip(DashboardCursorSync.Crosshair)
    .editable()
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'))
    .withVariable(
      labelVariable({ name: 'job', label: 'Job', metric: options.jobMetric, labelName: 'job', byJob: false }),
    );
  for (const variable of options.variables ?? []) builder.withVariable(labelVariable(variable));
  return builder;
}

/** A collapsible row heading. */
export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}
