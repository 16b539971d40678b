import { reportDiagnostic } from '@jts/core';
import type { SignalSource } from '../module-options.js';

/** Which signal a source is for. */
export type SignalKind = 'logger' | 'metrics' | 'tracing';

interface Owned {
  readonly value: Promise<unknown>;
  users: number;
}

const KEY = Symbol.for('jts.nestjs.owned-signals.v1');
type GlobalWithOwned = typeof globalThis & { [KEY]?: Map<SignalKind, Owned> };

// Process-wide, so a second app in the process (a test, a hot reload) reuses what the first one
// created instead of registering the same metrics twice or initialising tracing again.
const owned: Map<SignalKind, Owned> = ((globalThis as GlobalWithOwned)[KEY] ??= new Map());

/** A signal in use by one app, and how to give it back. */
export interface HeldSignal<T> {
  readonly value: T | undefined;
  /** Gives the signal back; the last app to give back a signal the module created closes it. */
  release(): Promise<void>;
}

const NOTHING: HeldSignal<never> = { value: undefined, release: async () => {} };

async function closeSignal(kind: SignalKind, value: unknown): Promise<void> {
  const closable = value as { close?: () => unknown; shutdown?: () => unknown } | null;
  try {
    if (typeof closable?.close === 'function') await closable.close();
    else if (typeof closable?.shutdown === 'function') await closable.shutdown();
  } catch (error) {
    reportDiagnostic({ source: 'nestjs', event: 'signal_close_failed', message: `closing the ${kind} failed`, error });
  }
}

/**
 * Takes a signal for one app: an object is used as given (its owner closes it); a factory is
 * called once per process while some app holds its result, and the result is closed when the
 * last app releases it.
 *
 * @param kind - which signal
 * @param source - the object or factory the user gave
 * @returns the signal and its release
 */
export async function holdSignal<T>(kind: SignalKind, source: SignalSource<T> | undefined): Promise<HeldSignal<T>> {
  if (source === undefined || source === null) return NOTHING;
  if (typeof source !== 'function') return { value: source, release: async () => {} };
  let entry = owned.get(kind);
  if (entry === undefined) {
    entry = { value: Promise.resolve().then(source as () => T | Promise<T>), users: 0 };
    owned.set(kind, entry);
    // A factory that fails leaves nothing behind: the next app calls it again.
    entry.value.catch(() => owned.get(kind) === entry && owned.delete(kind));
  }
  entry.users++;
  const held = entry;
  const value = (await held.value) as T;
  let released = false;
  return {
    value,
    async release() {
      if (released) return;
      released = true;
      held.users--;
      if (held.users > 0 || owned.get(kind) !== held) return;
      owned.delete(kind);
      await closeSignal(kind, value);
    },
  };
}
