// The goals of issue 16 for the order path, each a ratio to the hand-wired stack of the same
// variant (median over rounds of the per-round ratio).

/** The figures of one case that the goals read. */
export interface OrderPathRow {
  readonly id: string;
  readonly timeRatio: number | null;
  readonly allocationRatio: number | null;
}

interface GoalSpec {
  readonly case: string;
  readonly text: string;
  readonly figure: 'time' | 'allocation';
  readonly max: number;
}

const GOALS: readonly GoalSpec[] = [
  {
    case: 'jts-sampled-sync',
    figure: 'time',
    max: 0.6,
    text: 'jts, sampled, sync step: at most 0.6x the hand-wired time',
  },
  {
    case: 'jts-sampled-async',
    figure: 'time',
    max: 0.6,
    text: 'jts, sampled, async step: at most 0.6x the hand-wired time',
  },
  {
    case: 'jts-sampled-sync',
    figure: 'allocation',
    max: 0.5,
    text: 'jts, sampled, sync step: at most 0.5x the hand-wired allocation per order',
  },
  {
    case: 'jts-sampled-async',
    figure: 'allocation',
    max: 0.5,
    text: 'jts, sampled, async step: at most 0.5x the hand-wired allocation per order',
  },
  {
    case: 'jts-unsampled-sync',
    figure: 'time',
    max: 0.5,
    text: 'jts, unsampled, sync step: at most 0.5x the hand-wired unsampled time',
  },
  {
    case: 'jts-unsampled-async',
    figure: 'time',
    max: 0.5,
    text: 'jts, unsampled, async step: at most 0.5x the hand-wired unsampled time',
  },
];

/**
 * The goals with their measured ratio and verdict, for the results file and the console.
 *
 * @param rows - the cases measured (a goal whose case was not measured is left out)
 * @returns the goals in the shape `scripts/run-benchmarks.mjs` renders (`measured`, `met`)
 */
export function orderPathGoals(rows: readonly OrderPathRow[]) {
  return GOALS.flatMap((goal) => {
    const row = rows.find((candidate) => candidate.id === goal.case);
    if (row === undefined) return [];
    const ratio = (goal.figure === 'time' ? row.timeRatio : row.allocationRatio) ?? Number.NaN;
    return [
      {
        case: goal.case,
        text: goal.text,
        ...(goal.figure === 'time' ? { maxTimeRatio: goal.max } : { maxAllocationRatio: goal.max }),
        ratio,
        measured: `${ratio.toFixed(3)}× ${goal.figure === 'time' ? 'time' : 'bytes'}`,
        met: ratio <= goal.max,
      },
    ];
  });
}
