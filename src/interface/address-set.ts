/**
 * A set of block addresses as a bitmap, for the door's record of the blocks it handed out: a
 * `Map` or `Set` costs a builtin call and a hash entry per `add`, `has` and `delete`, which was
 * most of what a door cost a `malloc`/`free` pair; a bit test is a load and a mask, compiled
 * into the caller.
 *
 * @since 0.1.0
 */

/**
 * A set of addresses: one bit per 8 bytes of memory for the 8-aligned addresses below 2^32
 * (what every allocator of this library gives), a `Set` for any other (an interface of the
 * user's that hands out odd addresses). The bitmap covers the highest address added so far and
 * grows (doubling) as higher ones come; it never shrinks. It costs 1/64 of the span it covers
 * (16 KiB for 1 MiB of addresses). Address 0 (nullPtr) is never held.
 *
 * @category model
 * @since 0.1.0
 */
export class AddressSet {
  /** Bit `(p >>> 3) & 31` of word `p >>> 8` is set when `p` is held. */
  private bits = new Int32Array(/* initial words */ 256);
  /** The addresses held that are not 8-aligned or not below 2^32 (made on first use). */
  private others: Set<number> | undefined = undefined;
  private count = 0;

  /** How many addresses it holds. */
  get size(): number {
    return this.count;
  }

  /** Whether it holds `p`. */
  has(p: number): boolean {
    if (p >>> 0 === p && (p & 7) === 0) {
      const w = this.bits[p >>> 8];
      return w !== undefined && (w & (1 << ((p >>> 3) & 31))) !== 0;
    }
    return this.others !== undefined && this.others.has(p);
  }

  /** Adds `p` (a positive safe integer); adding one it holds changes nothing. */
  add(p: number): void {
    if (p === 0) return;
    if (p >>> 0 === p && (p & 7) === 0) {
      const at = p >>> 8;
      if (at >= this.bits.length) this.cover(at);
      const bit = 1 << ((p >>> 3) & 31);
      const w = this.bits[at]!;
      if ((w & bit) === 0) {
        this.bits[at] = w | bit;
        this.count += 1;
      }
    } else {
      this.others ??= new Set();
      if (!this.others.has(p)) {
        this.others.add(p);
        this.count += 1;
      }
    }
  }

  /** Removes `p`; whether it was held. */
  delete(p: number): boolean {
    if (p >>> 0 === p && (p & 7) === 0) {
      const at = p >>> 8;
      const w = this.bits[at];
      const bit = 1 << ((p >>> 3) & 31);
      if (w === undefined || (w & bit) === 0) return false;
      this.bits[at] = w & ~bit;
    } else if (this.others === undefined || !this.others.delete(p)) return false;
    this.count -= 1;
    return true;
  }

  /** Grows the bitmap to hold word `at`. */
  private cover(at: number): void {
    const bits = new Int32Array(Math.max(this.bits.length * 2, at + 1));
    bits.set(this.bits);
    this.bits = bits;
  }
}
