/** Grafana's `kbn.roundInterval`: the "nice" interval a computed one is rounded to (milliseconds). */
const ROUNDING: ReadonlyArray<readonly [below: number, to: number]> = [
  [1_500, 1_000],
  [3_500, 2_000],
  [7_500, 5_000],
  [12_500, 10_000],
  [17_500, 15_000],
  [25_000, 20_000],
  [45_000, 30_000],
  [90_000, 60_000],
  [210_000, 120_000],
  [450_000, 300_000],
  [750_000, 600_000],
  [1_050_000, 900_000],
  [1_500_000, 1_200_000],
  [2_700_000, 1_800_000],
  [5_400_000, 3_600_000],
];

/** The query step and `$__rate_interval` Grafana uses for a panel. */
export interface GrafanaInterval {
  /** `$__interval` = the range query step, in seconds. */
  readonly stepSeconds: number;
  /** `$__rate_interval` = max(`$__interval` + scrape interval, 4 x scrape interval), in seconds. */
  readonly rateIntervalSeconds: number;
}

/**
 * Computes what Grafana sends for a time range: the range divided by the panel's data points,
 * rounded to a nice interval, at least the data source's scrape interval (`timeInterval`).
 *
 * @param rangeSeconds - the dashboard's time range
 * @param scrapeSeconds - the Prometheus data source's `timeInterval`
 * @param maxDataPoints - points across the panel (Grafana: its width in pixels); 1000 here
 */
export function grafanaInterval(rangeSeconds: number, scrapeSeconds: number, maxDataPoints = 1000): GrafanaInterval {
  const raw = (rangeSeconds * 1000) / maxDataPoints;
  const rounded = ROUNDING.find(([below]) => raw < below)?.[1] ?? 3_600_000;
  const stepSeconds = Math.max(rounded / 1000, scrapeSeconds);
  return { stepSeconds, rateIntervalSeconds: Math.max(stepSeconds + scrapeSeconds, 4 * scrapeSeconds) };
}

/** `now-6h` → 21600. */
export function rangeOf(from: string): number {
  const match = /^now-(\d+)([mhd])$/.exec(from);
  if (!match) throw new Error(`unsupported time range ${from}`);
  return Number(match[1]) * { m: 60, h: 3600, d: 86_400 }[match[2] as 'm' | 'h' | 'd'];
}
