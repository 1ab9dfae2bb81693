/**
 * A Map bounded to `maxEntries` that forgets the least recently used entry first. JavaScript Maps
 * iterate in insertion order, so "use" re-inserts a key and the first key is always the oldest.
 */
export class LruMap<K, V> {
  readonly #maxEntries: number;
  #map = new Map<K, V>();

  constructor(maxEntries: number) {
    this.#maxEntries = Math.max(0, maxEntries);
  }

  /** The value of `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** Whether `key` is present (does not count as a use). */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Stores `value` as the most recently used entry, evicting the oldest beyond the bound. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    if (this.#maxEntries === 0) return;
    this.#map.set(key, value);
    if (this.#map.size > this.#maxEntries) this.#map.delete(this.#map.keys().next().value as K);
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}
