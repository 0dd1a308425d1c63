import { MemoryBoundsError, MemoryProtectionError } from './errors.js';
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

/**
 * What may be done through a {@link Memory}: see {@link Memory.protect}.
 *
 * @since 0.1.0
 */
export interface MemoryAccess {
  /** Reads through the memory's `views` and `ensure` are allowed. */
  readonly read: boolean;
  /** Writes through the memory's `writeViews` and `ensureWritable` are allowed. */
  readonly write: boolean;
  /** Why a refused access is refused, quoted in the error (such as `pool 3 was deleted`). */
  readonly reason?: string;
}

const FULL_ACCESS: MemoryAccess = Object.freeze({ read: true, write: true });

/** The views of a memory that refuses an access: they reach no byte, so every access is slow. */
const NO_VIEWS: Views = makeViews(new ArrayBuffer(0), 0);

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

const checkByteCount = (call: string, name: string, value: unknown): number => {
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
 * `memory.grow`, or another worker growing a shared buffer). The rule for every reader: before
 * touching the bytes `[p, end)`, call {@link Memory.ensure} (or check
 * `end <= memory.views.u8.length` and call `ensure` when it is not), and use the views it
 * returns. Writers do the same with {@link Memory.writeViews} and {@link Memory.ensureWritable},
 * so that a memory {@link Memory.protect | protected} against writes refuses them. A detached
 * buffer's views have length 0, so a stale set can never pass the check.
 *
 * @since 0.1.0
 */
export class Memory {
  /**
   * The current views, for reading. They may be stale: see {@link Memory.ensure}. They reach no
   * byte while the memory is not readable (see {@link Memory.protect}).
   */
  views: Views;
  /**
   * The current views, for writing: the same set as {@link Memory.views}, or, while the memory
   * is not writable, a set that reaches no byte, so that every write falls to
   * {@link Memory.ensureWritable}, which refuses it. The rule for writers is the readers' rule
   * with these views and `ensureWritable`; it costs nothing more than reading `views`.
   */
  writeViews: Views;
  private allowed: MemoryAccess;

  private constructor(
    /** The bytes this memory stands for. */
    readonly source: MemorySource,
    /** Whether the bytes are in a `SharedArrayBuffer` (shareable with workers). */
    readonly shared: boolean,
    /** The most bytes this memory may hold (its length, if it cannot grow). */
    readonly maxByteLength: number,
  ) {
    this.allowed = FULL_ACCESS;
    this.views = this.writeViews = this.currentViews();
  }

  /**
   * A new memory of its own. Non-shared memories are a `WebAssembly.Memory` and shared ones a
   * growable `SharedArrayBuffer`: on Node 20 both give fast fixed-length views and grow without
   * copying, which a resizable `ArrayBuffer` does not (its views are 2–7x slower).
   *
   * Throws a `RangeError` when a size is not a non-negative safe integer, is above
   * {@link MAX_MEMORY_BYTES}, or when `initialBytes > maxBytes`.
   */
  static create(options: MemoryOptions = {}): Memory {
    const initial = checkByteCount(
      'Memory.create',
      'initialBytes',
      options.initialBytes ?? DEFAULT_INITIAL_BYTES,
    );
    const max = checkByteCount(
      'Memory.create',
      'maxBytes',
      options.maxBytes ?? Math.max(DEFAULT_MAX_BYTES, initial),
    );
    if (initial > max) {
      throw new RangeError(`Memory.create: initialBytes ${initial} is above maxBytes ${max}`);
    }
    const initialPages = Math.max(1, pagesFor(initial));
    const maxPages = Math.max(initialPages, pagesFor(max));
    if (options.shared === true) {
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
   */
  static from(source: MemorySource): Memory {
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
    if (!this.allowed.read) throw this.refused(call, address, size, 'read');
    throw new MemoryBoundsError(call, address, size, renewed.u8.length);
  }

  /**
   * Views that reach the `size` bytes at `address`, for writing them: {@link Memory.ensure}'s
   * counterpart for writers, returning {@link Memory.writeViews}.
   *
   * Throws {@link MemoryProtectionError} (naming `call`) when the memory is not writable, and
   * {@link MemoryBoundsError} when it ends before `address + size`. Nothing is written.
   */
  ensureWritable(address: number, size: number, call = 'Memory.ensureWritable'): Views {
    const views = this.writeViews;
    if (address + size <= views.u8.length) return views;
    if (!this.allowed.write) throw this.refused(call, address, size, 'write');
    this.refresh();
    const renewed = this.writeViews;
    if (address + size <= renewed.u8.length) return renewed;
    throw new MemoryBoundsError(call, address, size, renewed.u8.length);
  }

  /** What this memory allows now; full access unless {@link Memory.protect} said otherwise. */
  get access(): MemoryAccess {
    return this.allowed;
  }

  /**
   * Sets what may be done through this `Memory` object: reads (its `views`, `ensure`) and
   * writes (its `writeViews`, `ensureWritable`), which every peek and poke of this library goes
   * through. A refused access is a {@link MemoryProtectionError} quoting `reason`. It costs an
   * allowed access nothing: a refused kind of access gets views that reach no byte, so it falls
   * to the slow path, which refuses it.
   *
   * Protection belongs to this object, not to the bytes: another `Memory` over the same source
   * (`Memory.from(memory.source)`) has its own, and code that takes the raw buffer
   * (`memory.buffer`) is not stopped. It is how an area pool without `B_WRITE_AREA` refuses
   * writes, and how a deleted pool's memory refuses every access.
   *
   * Throws a `TypeError` when `read` or `write` is not a boolean.
   */
  protect(access: MemoryAccess): void {
    const { read, write, reason = '' } = access;
    if (typeof read !== 'boolean' || typeof write !== 'boolean' || typeof reason !== 'string') {
      throw new TypeError(
        'Memory.protect: read and write must be booleans and reason a string, got ' +
          `${typeof read}, ${typeof write} and ${typeof reason}`,
      );
    }
    this.allowed =
      read && write && reason === '' ? FULL_ACCESS : Object.freeze({ read, write, reason });
    this.refresh();
  }

  /**
   * Renews the views from the source's current buffer and length, and returns the views for
   * reading (`views`).
   */
  refresh(): Views {
    const current = this.currentViews();
    this.views = this.allowed.read ? current : NO_VIEWS;
    this.writeViews = this.allowed.write ? current : NO_VIEWS;
    return this.views;
  }

  private refused(
    call: string,
    address: number,
    size: number,
    access: 'read' | 'write',
  ): MemoryProtectionError {
    return new MemoryProtectionError(call, address, size, access, this.allowed.reason ?? '');
  }

  /**
   * Grows the memory so that it holds at least `minByteLength` bytes (rounded up to whole
   * pages, and never above {@link Memory.maxByteLength}), then renews the views.
   *
   * Returns `true` when the memory now holds `minByteLength` bytes, `false` when it cannot
   * (a fixed buffer, the maximum reached, or the engine refused); a refused growth leaves the
   * memory as it was.
   */
  grow(minByteLength: number): boolean {
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
