/**
 * How much work redaction has done in this process, counted rather than timed, so tests and
 * benchmarks can check that it grows linearly with the input and stays within the limits.
 */

/** Work counted since the process started (add-only; compare two readings). */
export interface RedactionWork {
  /** Characters examined by the secret scanner (its hint test counts one per character). */
  readonly reads: number;
  /** Strings passed to the scanner. */
  readonly strings: number;
  /** Objects, arrays, Maps, Sets and errors visited by the value walker. */
  readonly nodes: number;
}

/** The live counters; the scanner and the walker add to them. @internal */
export const redactionCounters: { reads: number; strings: number; nodes: number } = { reads: 0, strings: 0, nodes: 0 };

/**
 * A reading of the counters.
 *
 * @returns a copy of the counters at this moment
 * @example
 * const before = redactionWork();
 * redactor.redactString(text);
 * const reads = redactionWork().reads - before.reads;
 */
export function redactionWork(): RedactionWork {
  return { ...redactionCounters };
}
