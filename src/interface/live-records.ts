/**
 * The record a tracking interface keeps of each live block (its size, number, hook and call
 * site), in typed arrays and arrays of strings reached through an {@link AddressTable}: a
 * record costs no object and no `Map` entry, so tracking without call sites costs a few stores
 * per allocation. The objects of `leaks()` are made when asked for.
 *
 * @since 0.1.0
 */
import { AddressTable } from './address-table.js';

/** The hooks that allocate, by their number in a record. */
const HOOKS = ['mi_malloc', 'mi_calloc', 'mi_realloc'] as const;

/** A hook that allocates. */
export type AllocatingHook = (typeof HOOKS)[number];

/**
 * A live block as {@link LiveRecords.blocks} gives it (the shape of the tracking interface's
 * `LiveBlock`).
 *
 * @internal
 */
export interface LiveRecord {
  readonly address: number;
  readonly size: number;
  readonly seq: number;
  readonly hook: AllocatingHook;
  readonly line: number;
  readonly file: string;
  readonly func: string;
}

/**
 * Address → record of a live block. Records sit in slots of parallel arrays (a slot freed is
 * reused), the table maps an address to its slot.
 *
 * @internal
 */
export class LiveRecords {
  private readonly slots = new AddressTable();
  private sizes = new Float64Array(64);
  private seqs = new Float64Array(64);
  private hooks = new Uint8Array(64);
  private lines = new Float64Array(64);
  private readonly files: string[] = new Array<string>(64).fill('');
  private readonly funcs: string[] = new Array<string>(64).fill('');
  /** Freed slots, to reuse first. */
  private readonly spare: number[] = [];
  /** The first slot never used. */
  private next = 0;

  /** How many blocks are live. */
  get size(): number {
    return this.slots.size;
  }

  /** Records the block at `p` (non-zero), replacing a record it holds. */
  add(
    p: number,
    size: number,
    seq: number,
    hook: AllocatingHook,
    line: number,
    file: string,
    func: string,
  ): void {
    let i = this.spare.length > 0 ? this.spare.pop()! : this.fresh();
    const old = this.slots.put(p, i, -1);
    if (old >= 0) {
      // p was held (its block was freed behind this record's back): its slot is rewritten
      this.slots.put(p, old, -1);
      this.spare.push(i);
      i = old;
    }
    this.sizes[i] = size;
    this.seqs[i] = seq;
    this.hooks[i] = hook === 'mi_malloc' ? 0 : hook === 'mi_calloc' ? 1 : 2;
    this.lines[i] = line;
    this.files[i] = file;
    this.funcs[i] = func;
  }

  /** Whether it holds a record of `p`. */
  has(p: number): boolean {
    return this.slots.has(p);
  }

  /** The record of `p` moves to `q` (held or not), now of `size` bytes; false if none. */
  move(p: number, q: number, size: number): boolean {
    const i = this.slots.remove(p, -1);
    if (i < 0) return false;
    this.release(this.slots.put(q, i, -1));
    this.sizes[i] = size;
    return true;
  }

  /** Deletes the record of `p`; whether there was one. */
  delete(p: number): boolean {
    const i = this.slots.remove(p, -1);
    this.release(i);
    return i >= 0;
  }

  /** Slot `i` (−1: none) is free to reuse. */
  private release(i: number): void {
    if (i < 0) return;
    this.files[i] = this.funcs[i] = '';
    this.spare.push(i);
  }

  /** The live blocks, in the order of their numbers (new objects). */
  blocks(): LiveRecord[] {
    const out: LiveRecord[] = [];
    this.slots.forEach((address, i) => {
      out.push({
        address,
        size: this.sizes[i]!,
        seq: this.seqs[i]!,
        hook: HOOKS[this.hooks[i]!]!,
        line: this.lines[i]!,
        file: this.files[i]!,
        func: this.funcs[i]!,
      });
    });
    return out.sort((x, y) => x.seq - y.seq);
  }

  /** A slot never used, growing the arrays when they are full. */
  private fresh(): number {
    const n = this.sizes.length;
    if (this.next === n) {
      this.sizes = grown(this.sizes, new Float64Array(n * 2));
      this.seqs = grown(this.seqs, new Float64Array(n * 2));
      this.hooks = grown(this.hooks, new Uint8Array(n * 2));
      this.lines = grown(this.lines, new Float64Array(n * 2));
      for (let j = n; j < n * 2; j++) this.files[j] = this.funcs[j] = '';
    }
    return this.next++;
  }
}

/** `to`, with `from` copied into its start. */
const grown = <T extends Float64Array | Uint8Array>(from: T, to: T): T => {
  to.set(from);
  return to;
};
