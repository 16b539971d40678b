/**
 * A growable byte buffer the exposition is written into, one series block at a time. Writing
 * short strings into bytes as we go keeps the young generation busy instead of building one deep
 * rope of the whole scrape (tens of MB) that V8 must later flatten and old-space GC must trace.
 *
 * @internal
 */
export class ExpositionSink {
  private buffer: Buffer;
  private offset = 0;

  /** @param initialBytes - starting capacity; pass the previous scrape's size to avoid regrowth */
  constructor(initialBytes = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(Math.max(1024, initialBytes));
  }

  /** Appends a string as UTF-8. */
  write(text: string): void {
    const worst = text.length * 3;
    if (this.offset + worst > this.buffer.length) this.grow(worst);
    this.offset += this.buffer.write(text, this.offset, 'utf8');
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + needed));
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  /** The text written so far. */
  text(): string {
    return this.buffer.toString('utf8', 0, this.offset);
  }
}
