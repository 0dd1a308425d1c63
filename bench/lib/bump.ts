/**
 * The bump allocator: the timing floor of the heap suite (allocators.md §3.4). `malloc` moves a
 * pointer by `align8(n) + 8` and stores one u32 size header; `free` does nothing; `realloc`
 * grows in place when the block is the last one, otherwise bumps and copies. When the buffer is
 * exhausted it wraps to the start (so it is a floor for time, not an allocator).
 */
export class Bump {
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
  /** Every byte handed out, headers included (it never frees, so this is its high-water mark). */
  handedOut = 0;
  private top = 8;
  private readonly end: number;

  constructor(bytes: number) {
    const buffer = new ArrayBuffer(bytes);
    this.u8 = new Uint8Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.end = bytes;
  }

  malloc(n: number): number {
    const size = ((n + 7) & ~7) + 8;
    let block = this.top;
    if (block + size > this.end) block = 8;
    this.u32[block >>> 2] = n;
    this.top = block + size;
    this.handedOut += size;
    return block + 8;
  }

  free(_p: number): void {}

  realloc(p: number, n: number): number {
    const old = this.u32[(p - 8) >>> 2] ?? 0;
    const oldSize = (old + 7) & ~7;
    const newSize = (n + 7) & ~7;
    if (p + oldSize === this.top && p + newSize <= this.end) {
      this.u32[(p - 8) >>> 2] = n;
      this.top = p + newSize;
      if (newSize > oldSize) this.handedOut += newSize - oldSize;
      return p;
    }
    const q = this.malloc(n);
    this.u8.copyWithin(q, p, p + Math.min(old, n));
    return q;
  }
}
