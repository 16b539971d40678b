import type { AnomalyDetection, AnomalyDetectorName, TradingActivity } from '../../src/anomaly/types.js';
import { createAnomalyDetector } from '../../src/anomaly/create-anomaly-detector.js';
import { prng } from './build-trail.js';

/** A labelled stream: activities in time order, and how to score a detector's output on it. */
export interface LabelledStream {
  readonly detector: AnomalyDetectorName;
  readonly activities: TradingActivity[];
  /** Scores detections: true/false positives, and how many labelled positives were found. */
  score(detections: readonly AnomalyDetection[]): Score;
}

export interface Score {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly positives: number;
  readonly found: number;
  readonly precision: number;
  readonly recall: number;
}

const START = Date.UTC(2026, 2, 2, 14, 30);

function score(truePositives: number, falsePositives: number, positives: number, found: number): Score {
  return {
    truePositives,
    falsePositives,
    positives,
    found,
    precision: truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives),
    recall: positives === 0 ? 1 : found / positives,
  };
}

const exponential = (random: () => number, rate: number) => -Math.log(1 - random()) / rate;
const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const byTime = (a: TradingActivity, b: TradingActivity) => a.time - b.time;

/** Poisson order flow per account; labelled spikes (4-8x the rate, 5-15 s, on whole seconds). Unit: account-second bucket. */
export function orderRateStream(seed: number): LabelledStream {
  const random = prng(seed);
  const activities: TradingActivity[] = [];
  const seconds = 1200;
  const positives = new Set<string>();
  let id = 0;
  for (let account = 0; account < 10; account += 1) {
    const rate = 2 + random() * 6;
    const episodes: [number, number, number][] = [];
    for (let episode = 0; episode < 2; episode += 1) {
      const start = 120 + Math.floor(random() * (seconds - 200));
      episodes.push([start, start + 5 + Math.floor(random() * 11), 4 + random() * 4]);
    }
    for (let time = 0; time < seconds * 1000; ) {
      const second = Math.floor(time / 1000);
      const spike = episodes.find(([from, to]) => second >= from && second < to);
      time += exponential(random, (spike ? rate * spike[2] : rate) / 1000);
      if (time >= seconds * 1000) break;
      activities.push({
        kind: 'order',
        time: START + Math.floor(time),
        account: `acct-${account}`,
        symbol: 'AAPL',
        orderId: `o-${id++}`,
        side: 'buy',
        quantity: 100,
        price: 100,
      });
    }
    for (const [from, to] of episodes)
      for (let second = from; second < to; second += 1)
        positives.add(`acct-${account}:${Math.floor(START / 1000) + second}`);
  }
  activities.sort(byTime);
  return {
    detector: 'order_rate_spike',
    activities,
    score(detections) {
      const hit = new Set(detections.map((detection) => `${detection.account}:${Math.floor(detection.time / 1000)}`));
      const truePositives = [...hit].filter((key) => positives.has(key)).length;
      return score(truePositives, hit.size - truePositives, positives.size, truePositives);
    },
  };
}

/** Orders with log-normal sizes and random-walk prices; 1% fat fingers (15-200x size or 8-50% off price). Unit: order. */
export function fatFingerStream(seed: number): LabelledStream {
  const random = prng(seed);
  const activities: TradingActivity[] = [];
  const positives = new Set<string>();
  const symbols = ['AAPL', 'MSFT', 'ESZ6', 'BTC-USD', 'EURUSD'];
  const mids = symbols.map(() => 20 + random() * 500);
  const counts = symbols.map(() => 0);
  for (let index = 0; index < 20_000; index += 1) {
    const symbolIndex = Math.floor(random() * symbols.length);
    mids[symbolIndex]! *= 1 + normal(random) * 0.001;
    counts[symbolIndex]! += 1;
    let quantity = Math.max(1, Math.round(100 * Math.exp(normal(random) * 0.5)));
    let price = Math.round(mids[symbolIndex]! * (1 + normal(random) * 0.002) * 100) / 100;
    const orderId = `o-${index}`;
    if (counts[symbolIndex]! > 50 && random() < 0.01) {
      positives.add(orderId);
      if (random() < 0.5) quantity *= Math.round(15 + random() * 185);
      else price = Math.round(price * (1 + (random() < 0.5 ? -1 : 1) * (0.08 + random() * 0.42)) * 100) / 100;
    }
    activities.push({
      kind: 'order',
      time: START + index * 50,
      account: `acct-${index % 13}`,
      symbol: symbols[symbolIndex]!,
      orderId,
      side: random() < 0.5 ? 'buy' : 'sell',
      quantity,
      price,
    });
  }
  return {
    detector: 'fat_finger',
    activities,
    score(detections) {
      const flagged = new Set(detections.map((detection) => detection.orderId!));
      const truePositives = [...flagged].filter((id) => positives.has(id)).length;
      return score(truePositives, flagged.size - truePositives, positives.size, truePositives);
    },
  };
}

/** Normal accounts (about 1 cancel per fill), market makers (about 5), and spoofing episodes (97% cancelled). Unit: episode (an alert within one 60 s window of it counts for it). */
export function cancelFillStream(seed: number): LabelledStream {
  const random = prng(seed);
  const activities: TradingActivity[] = [];
  const duration = 30 * 60_000;
  const episodes: { account: string; from: number; to: number }[] = [];
  let id = 0;
  const flow = (account: string, from: number, to: number, rate: number, cancelShare: number) => {
    for (let time = from + exponential(random, rate / 1000); time < to; time += exponential(random, rate / 1000)) {
      const orderId = `o-${id++}`;
      const at = START + Math.floor(time);
      activities.push({
        kind: 'order',
        time: at,
        account,
        symbol: 'AAPL',
        orderId,
        side: 'buy',
        quantity: 100,
        price: 100,
      });
      activities.push({
        kind: random() < cancelShare ? 'cancel' : 'fill',
        time: at + 50 + Math.floor(random() * 2000),
        account,
        symbol: 'AAPL',
        orderId,
      });
    }
  };
  for (let account = 0; account < 12; account += 1) flow(`normal-${account}`, 0, duration, 0.5 + random(), 0.5);
  for (let account = 0; account < 3; account += 1) flow(`maker-${account}`, 0, duration, 2 + random() * 2, 5 / 6);
  for (let episode = 0; episode < 6; episode += 1) {
    const account = `spoofer-${episode}`;
    const from = Math.floor(random() * (duration - 300_000));
    const to = from + 120_000 + Math.floor(random() * 60_000);
    flow(account, 0, duration, 0.3, 0.5);
    flow(account, from, to, 2 + random() * 2, 0.97);
    // The detector judges the last minute (its window): an alert while the episode is still in that window belongs to it.
    episodes.push({ account, from: START + from, to: START + to + 2050 + 60_000 });
  }
  activities.sort(byTime);
  return {
    detector: 'cancel_fill_ratio',
    activities,
    score(detections) {
      let truePositives = 0;
      const found = new Set<number>();
      for (const detection of detections) {
        const match = episodes.findIndex(
          (episode) =>
            episode.account === detection.account && detection.time >= episode.from && detection.time <= episode.to,
        );
        if (match === -1) continue;
        truePositives += 1;
        found.add(match);
      }
      return score(truePositives, detections.length - truePositives, episodes.length, found.size);
    },
  };
}

/** Directional accounts (one side per symbol) and injected wash pairs that cross the account's own resting order. Unit: order. */
export function selfTradeStream(seed: number): LabelledStream {
  const random = prng(seed);
  const activities: TradingActivity[] = [];
  const positives = new Set<string>();
  const symbols = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'AMZN'];
  let id = 0;
  for (let index = 0; index < 15_000; index += 1) {
    const account = Math.floor(random() * 10);
    const symbol = Math.floor(random() * symbols.length);
    const side = (account + symbol) % 2 === 0 ? 'buy' : 'sell';
    const time = START + index * 100;
    const mid = 100 + symbol * 10;
    const price = Math.round((side === 'buy' ? mid - random() : mid + random()) * 100) / 100;
    const orderId = `o-${id++}`;
    const base = { account: `acct-${account}`, symbol: symbols[symbol]! };
    activities.push({ kind: 'order', time, ...base, orderId, side, quantity: 100, price });
    if (random() < 0.01) {
      const washId = `o-${id++}`;
      positives.add(washId);
      const washTime = time + 10 + Math.floor(random() * 80);
      activities.push({
        kind: 'order',
        time: washTime,
        ...base,
        orderId: washId,
        side: side === 'buy' ? 'sell' : 'buy',
        quantity: 100,
        price: random() < 0.2 ? undefined : price,
      });
      activities.push({ kind: 'fill', time: washTime + 1, ...base, orderId });
      activities.push({ kind: 'fill', time: washTime + 1, ...base, orderId: washId });
    } else {
      activities.push({
        kind: random() < 0.5 ? 'fill' : 'cancel',
        time: time + 200 + Math.floor(random() * 5000),
        ...base,
        orderId,
      });
    }
  }
  activities.sort(byTime);
  return {
    detector: 'self_trade',
    activities,
    score(detections) {
      const flagged = new Set(detections.map((detection) => detection.orderId!));
      const truePositives = [...flagged].filter((orderId) => positives.has(orderId)).length;
      return score(truePositives, flagged.size - truePositives, positives.size, truePositives);
    },
  };
}

/** Orders at uniformly random times over three weeks, labelled against Tokyo hours (UTC+9, no DST) by arithmetic. Unit: order. */
export function tradingHoursStream(seed: number): LabelledStream {
  const random = prng(seed);
  const activities: TradingActivity[] = [];
  const positives = new Set<string>();
  const from = Date.UTC(2026, 5, 1);
  for (let index = 0; index < 5000; index += 1) {
    const time = from + Math.floor(random() * 21 * 86_400_000);
    const local = new Date(time + 9 * 3_600_000);
    const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
    const inside = local.getUTCDay() >= 1 && local.getUTCDay() <= 5 && minutes >= 540 && minutes < 900;
    const orderId = `o-${index}`;
    if (!inside) positives.add(orderId);
    activities.push({
      kind: 'order',
      time,
      account: 'acct',
      symbol: '7203.T',
      orderId,
      side: 'buy',
      quantity: 100,
      price: 2500,
    });
  }
  activities.sort(byTime);
  return {
    detector: 'outside_trading_hours',
    activities,
    score(detections) {
      const flagged = new Set(detections.map((detection) => detection.orderId!));
      const truePositives = [...flagged].filter((orderId) => positives.has(orderId)).length;
      return score(truePositives, flagged.size - truePositives, positives.size, truePositives);
    },
  };
}

/** Every labelled stream for one seed. */
export function labelledStreams(seed: number): LabelledStream[] {
  return [
    orderRateStream(seed),
    fatFingerStream(seed),
    cancelFillStream(seed),
    selfTradeStream(seed),
    tradingHoursStream(seed),
  ];
}

/** Tokyo trading hours, for the trading-hours stream. */
export const TOKYO_HOURS = { timeZone: 'Asia/Tokyo', open: '09:00', close: '15:00' } as const;

/** Runs a stream through a detector with only that stream's detector enabled, at default parameters. */
export function detectWithOnly(stream: LabelledStream): AnomalyDetection[] {
  const only = stream.detector;
  const detector = createAnomalyDetector({
    orderRate: only === 'order_rate_spike' ? {} : false,
    fatFinger: only === 'fat_finger' ? {} : false,
    cancelFill: only === 'cancel_fill_ratio' ? {} : false,
    selfTrade: only === 'self_trade' ? {} : false,
    tradingHours: only === 'outside_trading_hours' ? TOKYO_HOURS : false,
  });
  return stream.activities.flatMap((activity) => detector.observe(activity));
}
