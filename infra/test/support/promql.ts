import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's interval macros, replaced by a duration the parser accepts before parsing. */
const GRAFANA_DURATIONS = /\$__(rate_interval|interval|range)\b/g;

/** One metric selector of an expression. */
export interface SelectorUse {
  readonly name: string;
  /** Name of the function whose range vector argument this selector is, if any (`rate`, `increase`, ...). */
  readonly rangeFunction: string | undefined;
}

/** What the parser found in one PromQL expression. */
export interface PromqlAnalysis {
  /** Syntax errors, with the text around them. */
  readonly errors: string[];
  /** Metric selectors in order of appearance (`foo{...}` and `{__name__="foo"}`). */
  readonly selectors: SelectorUse[];
  /** Range selector durations as written (`$__rate_interval`, `5m`). */
  readonly ranges: string[];
  /** For each `histogram_quantile`, the labels its bucket argument is aggregated by, or undefined when it is not an aggregation. */
  readonly quantileGroupings: (string[] | undefined)[];
}

function text(source: string, node: SyntaxNode): string {
  return source.slice(node.from, node.to);
}

function selectorName(source: string, selector: SyntaxNode): string | undefined {
  const identifier = selector.getChild('Identifier');
  if (identifier) return text(source, identifier);
  for (const matcher of selector.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
    const label = matcher.getChild('LabelName');
    const value = matcher.getChild('StringLiteral');
    if (label && value && text(source, label) === '__name__') return text(source, value).slice(1, -1);
  }
  return undefined;
}

/**
 * Parses a PromQL expression (Grafana macros allowed in range selectors, variables inside label
 * values) with Prometheus' own lezer grammar and reports its metric selectors.
 *
 * @param expression - PromQL as written in a panel or rule
 * @returns errors, selectors with the range function around them, ranges and histogram_quantile groupings
 */
export function analysePromql(expression: string): PromqlAnalysis {
  const ranges = [...expression.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]!);
  const source = expression.replace(GRAFANA_DURATIONS, '5m');
  const tree = parser.parse(source);
  const errors: string[] = [];
  const selectors: SelectorUse[] = [];
  const quantileGroupings: (string[] | undefined)[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError)
        errors.push(
          `syntax error at ${ref.from}: ${JSON.stringify(source.slice(Math.max(0, ref.from - 20), ref.to + 20))}`,
        );
      if (ref.name === 'VectorSelector') {
        const name = selectorName(source, ref.node);
        if (name === undefined) return;
        const matrix = ref.node.parent?.name === 'MatrixSelector' ? ref.node.parent : undefined;
        const call = matrix?.parent?.name === 'FunctionCallBody' ? matrix.parent.parent : undefined;
        const identifier = call?.getChild('FunctionIdentifier');
        selectors.push({ name, rangeFunction: identifier ? text(source, identifier) : undefined });
      }
      if (
        ref.name === 'FunctionCall' &&
        text(source, ref.node.getChild('FunctionIdentifier')!) === 'histogram_quantile'
      ) {
        const argument = ref.node.getChild('FunctionCallBody')?.getChildren('AggregateExpr')[0];
        const grouping = argument?.getChild('AggregateModifier')?.getChild('GroupingLabels');
        quantileGroupings.push(
          grouping ? grouping.getChildren('LabelName').map((label) => text(source, label)) : undefined,
        );
      }
    },
  });
  if (/\$/.test(source.replace(/"(?:\\.|[^"\\])*"/g, '""'))) errors.push('a Grafana variable outside a label value');
  return { errors, selectors, ranges, quantileGroupings };
}
