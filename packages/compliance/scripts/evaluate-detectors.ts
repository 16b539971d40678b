// Precision and recall of each anomaly detector on synthetic labelled streams, over several seeds.
// Run: node --import tsx packages/compliance/scripts/evaluate-detectors.ts [seeds=10]
// The guide (docs/guides/compliance.md) quotes the table this prints.
import { type Score, detectWithOnly, labelledStreams } from '../test/support/synthetic-streams.js';

const seeds = Number(process.argv[2] ?? 10);
const results = new Map<string, Score[]>();
for (let seed = 1; seed <= seeds; seed += 1) {
  for (const stream of labelledStreams(seed)) {
    const only = stream.detector;
    const detections = detectWithOnly(stream);
    results.set(only, [...(results.get(only) ?? []), stream.score(detections)]);
  }
}
const fmt = (value: number) => value.toFixed(3);
console.log(`Seeds 1-${seeds}, default parameters.\n`);
console.log(
  '| Detector | Unit | Positives / seed | Precision pooled | Recall pooled | Precision per seed: mean (min) | Recall per seed: mean (min) |',
);
console.log('|---|---|---|---|---|---|---|');
const units: Record<string, string> = {
  order_rate_spike: 'account-second',
  fat_finger: 'order',
  cancel_fill_ratio: 'episode',
  self_trade: 'order',
  outside_trading_hours: 'order',
};
for (const [detector, scores] of results) {
  const mean = (pick: (score: Score) => number) => scores.reduce((sum, score) => sum + pick(score), 0) / scores.length;
  const min = (pick: (score: Score) => number) => Math.min(...scores.map(pick));
  const sum = (pick: (score: Score) => number) => scores.reduce((total, score) => total + pick(score), 0);
  const pooledPrecision =
    sum((score) => score.truePositives) /
    Math.max(
      1,
      sum((score) => score.truePositives + score.falsePositives),
    );
  const pooledRecall =
    sum((score) => score.found) /
    Math.max(
      1,
      sum((score) => score.positives),
    );
  console.log(
    `| ${detector} | ${units[detector]} | ${Math.round(mean((score) => score.positives))} | ${fmt(pooledPrecision)} | ${fmt(pooledRecall)} | ${fmt(mean((score) => score.precision))} (${fmt(min((score) => score.precision))}) | ${fmt(mean((score) => score.recall))} (${fmt(min((score) => score.recall))}) |`,
  );
}
