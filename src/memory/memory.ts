import { MemoryBoundsError } from './errors.js';
import { makeViews, type Views } from './views.js';

/**
 * A WebAssembly linear memory, described by what this library uses of it, so that the
 * published types do not depend on the DOM library. Any `WebAssembly.Memory` is one.
 *
 * @since 0.1.0
 */
export interface WasmMemory {
  /** The memory's bytes now (a new buffer after each growth). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows the memory by `deltaPages` pages of 64 KiB; returns the old size in pages. */
  grow(deltaPages: number): number;
}

/**
 * The bytes a {@link Memory} can stand for: a (possibly resizable) `ArrayBuffer`, a (possibly
 * growable) `SharedArrayBuffer`, or a WebAssembly memory (shared or not).
 *
 * @since 0.1.0
 */
export type MemorySource = ArrayBuffer | SharedArrayBuffer | WasmMemory;

/**
 * Options of {@link Memory.create}.
 *
 * @since 0.1.0
 */
export interface MemoryOptions {
  /** Bytes at the start, rounded up to whole 64 KiB pages. Default 64 KiB. */
  readonly initialBytes?: number;
  /** The most bytes the memory may grow to, rounded up to whole pages. Default 2 GiB. */
  readonly maxBytes?: number;
  /** Put the bytes in a `SharedArrayBuffer`, for workers. Default `false`. */
  readonly shared?: boolean;
}

/** The WebAssembly page, the unit in which memories made here grow. */
export const PAGE_BYTES = 65536;

/**
 * The largest memory this library manages: 65 535 pages, one page short of 4 GiB, so that every
 * address and every end address fits an unsigned 32-bit word.
 */
export const MAX_MEMORY_BYTES = 65535 * PAGE_BYTES;

const DEFAULT_INITIAL_BYTES = PAGE_BYTES;
const DEFAULT_MAX_BYTES = 32768 * PAGE_BYTES;

const isWasmMemory = (source: MemorySource): source is WasmMemory =>
  typeof WebAssembly !== 'undefined' && source instanceof WebAssembly.Memory;

const isSharedBuffer = (buffer: ArrayBufferLike): buffer is SharedArrayBuffer =>
  typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;

const pagesFor = (bytes: number): number => Math.ceil(bytes / PAGE_BYTES);

/**
 * `value` when it is a byte count a memory can have: a non-negative safe integer up to
 * {@link MAX_MEMORY_BYTES}. Throws a `RangeError` naming `call` and `name` otherwise.
 *
 * @internal
 */
export const checkByteCount = (call: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${call}: ${name} must be a non-negative safe integer, got ${String(value)}`,
    );
  }
  if (value > MAX_MEMORY_BYTES) {
    throw new RangeError(
      `${call}: ${name} ${value} is above the largest memory, ${MAX_MEMORY_BYTES}`,
    );
  }
  return value;
};

/** A value as it should appear in a message. */
const show = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : typeof value === 'bigint'
      ? `${value}n`
      : typeof value === 'object' && value !== null
        ? (value.constructor?.name ?? 'object')
        : String(value);

/**
 * `source` when it is a {@link MemorySource}: an `ArrayBuffer`, a `SharedArrayBuffer` or a
 * `WebAssembly.Memory`. Throws a `TypeError` naming `call` otherwise (a typed array is not one:
 * pass its `buffer`).
 *
 * @internal
 */
export const checkSource = (call: string, source: unknown): MemorySource => {
  if (
    source instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer) ||
    (typeof WebAssembly !== 'undefined' && source instanceof WebAssembly.Memory)
  ) {
    return source as MemorySource;
  }
  throw new TypeError(
    `${call}: ${show(source)} is not an ArrayBuffer, a SharedArrayBuffer or a WebAssembly.Memory`,
  );
};

/**
 * `options` when it is an object or `undefined` (then `{}`); a `TypeError` naming `call`
 * otherwise.
 *
 * @internal
 */
export const checkOptions = <O extends object>(call: string, options: O | undefined): O => {
  if (options === undefined) return {} as O;
  if (typeof options === 'object' && options !== null) return options;
  throw new TypeError(`${call}: options must be an object, got ${show(options)}`);
};

/**
 * The boolean option `name`: `fallback` when it is `undefined`; a `TypeError` naming `call` when
 * it is not a boolean.
 *
 * @internal
 */
export const checkFlag = (
  call: string,
  name: string,
  value: unknown,
  fallback = false,
): boolean => {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new TypeError(`${call}: ${name} must be a boolean, got ${show(value)}`);
};

/**
 * The most bytes a source can ever hold: its maximum for growable sources, its length for
 * fixed ones. A WebAssembly memory reports no maximum to JavaScript, so it is taken as the
 * largest memory; growing past its real maximum fails, and {@link Memory.grow} says so.
 */
const maxLengthOf = (source: MemorySource): number => {
  if (isWasmMemory(source)) return MAX_MEMORY_BYTES;
  const buffer = source as ArrayBuffer & { maxByteLength?: number };
  return Math.min(buffer.maxByteLength ?? buffer.byteLength, MAX_MEMORY_BYTES);
};

/**
 * One abstraction over the bytes a heap lives in: a resizable `ArrayBuffer`, a growable
 * `SharedArrayBuffer`, or a `WebAssembly.Memory`.
 *
 * It keeps one set of {@link Views} over the current bytes and renews it whenever the memory
 * has grown, whether this object grew it or someone else did (a WebAssembly module calling
 * `memory.grow`, or another worker growing a shared buffer). The rule for every reader and
 * writer: before touching the bytes `[p, end)`, call {@link Memory.ensure} (or check
 * `end <= memory.views.u8.length` and call `ensure` when it is not), and use the views it
 * returns. A detached buffer's views have length 0, so a stale set can never pass the check.
 *
 * @since 0.1.0
 */
export class Memory {
  /** The current views. They may be stale: see {@link Memory.ensure}. */
  views: Views;

  private constructor(
    /** The bytes this memory stands for. */
    readonly source: MemorySource,
    /** Whether the bytes are in a `SharedArrayBuffer` (shareable with workers). */
    readonly shared: boolean,
    /** The most bytes this memory may hold (its length, if it cannot grow). */
    readonly maxByteLength: number,
  ) {
    this.views = this.currentViews();
  }

  /**
   * A new memory of its own. Non-shared memories are a `WebAssembly.Memory` and shared ones a
   * growable `SharedArrayBuffer`: on Node 20 both give fast fixed-length views and grow without
   * copying, which a resizable `ArrayBuffer` does not (its views are 2–7x slower).
   *
   * Throws a `RangeError` when a size is not a non-negative safe integer, is above
   * {@link MAX_MEMORY_BYTES}, or when `initialBytes > maxBytes`; a `TypeError` when `options` is
   * not an object or `shared` not a boolean.
   */
  static create(options: MemoryOptions = {}): Memory {
    const o = checkOptions('Memory.create', options);
    const initial = checkByteCount(
      'Memory.create',
      'initialBytes',
      o.initialBytes === undefined ? DEFAULT_INITIAL_BYTES : o.initialBytes,
    );
    const max = checkByteCount(
      'Memory.create',
      'maxBytes',
      o.maxBytes === undefined ? Math.max(DEFAULT_MAX_BYTES, initial) : o.maxBytes,
    );
    const shared = checkFlag('Memory.create', 'shared', o.shared);
    if (initial > max) {
      throw new RangeError(`Memory.create: initialBytes ${initial} is above maxBytes ${max}`);
    }
    const initialPages = Math.max(1, pagesFor(initial));
    const maxPages = Math.max(initialPages, pagesFor(max));
    if (shared) {
      const buffer = new SharedArrayBuffer(initialPages * PAGE_BYTES, {
        maxByteLength: maxPages * PAGE_BYTES,
      });
      return new Memory(buffer, true, maxPages * PAGE_BYTES);
    }
    const memory = new WebAssembly.Memory({ initial: initialPages, maximum: maxPages });
    return new Memory(memory, false, maxPages * PAGE_BYTES);
  }

  /**
   * A memory over existing bytes. A WebAssembly memory is shared when its buffer is a
   * `SharedArrayBuffer`. Nothing is copied; the source keeps working as before.
   *
   * Throws a `TypeError` when `source` is none of the three (a typed array is not: pass its
   * `buffer`).
   */
  static from(source: MemorySource): Memory {
    checkSource('Memory.from', source);
    const buffer = isWasmMemory(source) ? source.buffer : source;
    return new Memory(source, isSharedBuffer(buffer), maxLengthOf(source));
  }

  /** The source's buffer as it is now (a WebAssembly memory replaces its buffer when it grows). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return isWasmMemory(this.source) ? this.source.buffer : this.source;
  }

  /** The memory's length as it is now, read from the source (not from the cached views). */
  get byteLength(): number {
    return Math.min(this.buffer.byteLength, MAX_MEMORY_BYTES);
  }

  /**
   * Views that reach the `size` bytes at `address`. Returns the cached views when they do;
   * otherwise renews them from the source and returns the new ones.
   *
   * Throws {@link MemoryBoundsError} (naming `call`) when the memory ends before
   * `address + size`. Nothing is read or written either way.
   */
  ensure(address: number, size: number, call = 'Memory.ensure'): Views {
    const views = this.views;
    if (address + size <= views.u8.length) return views;
    const renewed = this.refresh();
    if (address + size <= renewed.u8.length) return renewed;
    throw new MemoryBoundsError(call, address, size, renewed.u8.length);
  }

  /** Renews the views from the source's current buffer and length, and returns them. */
  refresh(): Views {
    this.views = this.currentViews();
    return this.views;
  }

  /**
   * Grows the memory so that it holds at least `minByteLength` bytes (rounded up to whole
   * pages, and never above {@link Memory.maxByteLength}), then renews the views.
   *
   * Returns `true` when the memory now holds `minByteLength` bytes, `false` when it cannot
   * (a fixed buffer, the maximum reached, or the engine refused); a refused growth leaves the
   * memory as it was.
   *
   * Throws a `RangeError` when `minByteLength` is not a non-negative safe integer.
   */
  grow(minByteLength: number): boolean {
    if (!Number.isSafeInteger(minByteLength) || minByteLength < 0) {
      throw new RangeError(
        `Memory.grow: minByteLength must be a non-negative safe integer, got ${show(minByteLength)}`,
      );
    }
    const current = this.byteLength;
    if (minByteLength <= current) return true;
    if (minByteLength > this.maxByteLength) return false;
    const target = Math.min(pagesFor(minByteLength) * PAGE_BYTES, this.maxByteLength);
    try {
      this.growSource(current, Math.max(target, minByteLength));
    } catch {
      // A refused growth (past the source's own maximum, out of address space, or another
      // worker grew a shared buffer past `target` first) is reported by the length check below.
    }
    this.refresh();
    return this.byteLength >= minByteLength;
  }

  private growSource(current: number, target: number): void {
    const source = this.source;
    if (isWasmMemory(source)) {
      source.grow(pagesFor(target) - pagesFor(current));
    } else if (isSharedBuffer(source)) {
      (source as SharedArrayBuffer & { grow(n: number): void }).grow(target);
    } else {
      (source as ArrayBuffer & { resize(n: number): void }).resize(target);
    }
  }

  private currentViews(): Views {
    const buffer = this.buffer;
    return makeViews(buffer, Math.min(buffer.byteLength, MAX_MEMORY_BYTES));
  }
}
