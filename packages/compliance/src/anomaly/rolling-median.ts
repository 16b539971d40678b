/** Median of the last `size` values: a ring buffer plus a sorted copy (O(size) per update, fine for windows of hundreds). */
export class RollingMedian {
  readonly #ring: number[] = [];
  readonly #sorted: number[] = [];
  #next = 0;

  constructor(private readonly size: number) {}

  get count(): number {
    return this.#ring.length;
  }

  add(value: number): void {
    if (this.#ring.length === this.size) {
      const old = this.#ring[this.#next]!;
      this.#sorted.splice(this.#search(old), 1);
      this.#ring[this.#next] = value;
      this.#next = (this.#next + 1) % this.size;
    } else this.#ring.push(value);
    this.#sorted.splice(this.#search(value), 0, value);
  }

  median(): number {
    const sorted = this.#sorted;
    if (sorted.length === 0) return Number.NaN;
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }

  #search(value: number): number {
    let low = 0;
    let high = this.#sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#sorted[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
