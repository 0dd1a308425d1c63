/**
 * A table from addresses to small integers in typed arrays, for the records a memory interface
 * keeps per live block (the door's blocks, a tracking interface's records): a `Map` costs a
 * builtin call and a hash entry per `set`, `get` and `delete`, which is most of what a door
 * costs a `malloc`/`free` pair; this table's operations are a few loads and stores that the
 * engine compiles into its callers.
 *
 * @since 0.1.0
 */

/** The smallest capacity (a power of two). */
const MIN_CAPACITY = 64;

/**
 * Addresses (positive safe integers) → integers of 32 bits, by open addressing with linear
 * probing in typed arrays, at most an eighth full (so that a probe rarely meets another key:
 * each one met is a branch the processor cannot predict), with backward-shift deletion (no
 * tombstones, so a table that churns stays as fast as a new one). The slot of an address is the
 * top bits of its low 32 bits over 8 times Knuth's 2^32 / φ (Fibonacci hashing; written as the
 * literal `-1640531535`, its int32 form, which the engine folds into the code), so that every bit
 * of an 8-aligned address counts. Its capacity doubles as it fills and never shrinks: it follows
 * the peak of the live set, not the memory's size. Address 0 (nullPtr) cannot be a key.
 *
 * @category model
 * @since 0.1.0
 */
export class AddressTable {
  /** The key of each slot; 0: empty. Float64 holds every safe integer exactly. */
  private keys = new Float64Array(MIN_CAPACITY);
  private values = new Int32Array(MIN_CAPACITY);
  /** Capacity − 1. */
  private mask = MIN_CAPACITY - 1;
  /** 32 − log2(capacity): the shift that takes a hash's top bits. */
  private shift = 32 - Math.log2(MIN_CAPACITY);
  private count = 0;

  /** How many addresses it holds. */
  get size(): number {
    return this.count;
  }

  /** The home slot of `p`. */
  private home(p: number): number {
    return Math.imul(p >>> 3, /* 2^32 / φ */ -1640531535) >>> this.shift;
  }

  /** The slot that holds `p`, or −1. */
  private find(p: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = this.home(p); ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === p) return i;
      if (k === 0) return -1;
    }
  }

  /** Whether it holds `p`. */
  has(p: number): boolean {
    return p !== 0 && this.find(p) >= 0;
  }

  /**
   * Sets the value of `p` (a positive safe integer), adding it when it is not held: its value
   * before, or `missing` when it was not held.
   */
  put(p: number, value: number, missing: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.home(p);
    for (let k = keys[i]!; k !== 0; k = keys[i]!) {
      if (k === p) {
        const before = this.values[i]!;
        this.values[i] = value;
        return before;
      }
      i = (i + 1) & mask;
    }
    keys[i] = p;
    this.values[i] = value;
    if (++this.count * /* 1 / maximum load */ 8 > mask) this.rehash((mask + 1) * 2);
    return missing;
  }

  /** Removes `p`: its value, or `missing` when it was not held. */
  remove(p: number, missing: number): number {
    let i = p === 0 ? -1 : this.find(p);
    if (i < 0) return missing;
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    const value = values[i]!;
    // Backward shift: move each later key of the run that may sit in the hole into it.
    for (let j = (i + 1) & mask; keys[j]! !== 0; j = (j + 1) & mask) {
      const h = this.home(keys[j]!);
      // The key at j stays when its home lies cyclically in (i, j].
      const stays = i <= j ? h > i && h <= j : h > i || h <= j;
      if (!stays) {
        keys[i] = keys[j]!;
        values[i] = values[j]!;
        i = j;
      }
    }
    keys[i] = 0;
    this.count -= 1;
    return value;
  }

  /** Calls `f` with each address and its value (in no particular order). */
  forEach(f: (p: number, value: number) => void): void {
    const { keys, values } = this;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) f(keys[i]!, values[i]!);
  }

  /** Moves every entry into new arrays of `capacity` slots. */
  private rehash(capacity: number): void {
    const { keys, values } = this;
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.put(keys[i]!, values[i]!, 0);
  }
}
