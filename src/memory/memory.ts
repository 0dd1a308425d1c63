import { describeValue, isBuffer, isSharedBuffer, isWasmMemory } from './buffers.js';
import {
  MemoryBoundsError,
  MemoryProtectionError,
  SharedMemoryUnavailableError,
} from './errors.js';
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
  /**
   * Bytes at the start, rounded up to whole 64 KiB pages (never above `maxBytes`). Default
   * 64 KiB, or `maxBytes` when that is less.
   */
  readonly initialBytes?: number | bigint;
  /**
   * The most bytes the memory may ever hold: a whole number of 64 KiB pages, since memory grows
   * by pages. It is kept exactly, never rounded: any other number is a `RangeError` that names
   * the nearest whole pages. Default 2 GiB (or `initialBytes` rounded up to pages, when that is
   * more). Either may be a `bigint` whose value is a safe integer.
   */
  readonly maxBytes?: number | bigint;
  /**
   * Put the bytes in a `SharedArrayBuffer`, for workers. Default `false`. Where there is no
   * `SharedArrayBuffer` (a browser page that is not cross-origin isolated) `true` is a
   * {@link SharedMemoryUnavailableError}.
   */
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

const pagesFor = (bytes: number): number => Math.ceil(bytes / PAGE_BYTES);

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A count of bytes as a number: a `bigint` whose value is a safe integer is converted (the
 * library-wide rule for sizes); anything else is returned as it is, for the caller's check.
 */
const byteCount = (value: unknown): unknown =>
  typeof value === 'bigint' && value >= -SAFE && value <= SAFE ? Number(value) : value;

/** The message form of a value: bigints with their `n`. */
const shown = (value: unknown): string => (typeof value === 'bigint' ? `${value}n` : String(value));

/** A count argument as a number: a `RangeError` naming `call` for anything else. */
const countArgument = (call: string, name: string, given: unknown): number => {
  const value = byteCount(given);
  if (typeof value === 'number') return value;
  throw new RangeError(`${call}: ${name} must be a safe integer, got ${shown(given)}`);
};

/** An address argument: a `TypeError` naming `call` for anything but a number. */
const addressArgument = (call: string, address: unknown): number => {
  if (typeof address === 'number') return address;
  const hint =
    typeof address === 'bigint' ? '; addresses are numbers (convert it with Number(x))' : '';
  throw new TypeError(`${call}: address ${shown(address)} is not a number${hint}`);
};

const checkByteCount = (call: string, name: string, given: unknown): number => {
  const value = byteCount(given);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${call}: ${name} must be a non-negative safe integer, got ${shown(given)}`,
    );
  }
  if (value > MAX_MEMORY_BYTES) {
    throw new RangeError(
      `${call}: ${name} ${value} is above the largest memory, ${MAX_MEMORY_BYTES}`,
    );
  }
  return value;
};

const pages = (n: number): string => `${n * PAGE_BYTES} (${n} page${n === 1 ? '' : 's'})`;

/** `maxBytes` when it is a whole number of pages, which growth can keep exactly; throws otherwise. */
const checkWholePages = (call: string, maxBytes: number): number => {
  if (maxBytes % PAGE_BYTES === 0) return maxBytes;
  const below = Math.floor(maxBytes / PAGE_BYTES);
  throw new RangeError(
    `${call}: maxBytes ${maxBytes} is not a whole number of 64 KiB pages (memory grows by ` +
      `pages): use ${pages(below)} or ${pages(below + 1)}`,
  );
};

/** The sizes of a new memory, in pages, from its options. */
const sizesOf = (call: string, options: MemoryOptions): { initial: number; max: number } => {
  const given = options.initialBytes;
  const initialBytes =
    given === undefined ? undefined : checkByteCount(call, 'initialBytes', given);
  // Absent is the default; `null` is not (it is a bad size, as for `initialBytes`).
  const maxBytes = checkWholePages(
    call,
    checkByteCount(
      call,
      'maxBytes',
      options.maxBytes === undefined
        ? Math.max(DEFAULT_MAX_BYTES, pagesFor(initialBytes ?? 0) * PAGE_BYTES)
        : options.maxBytes,
    ),
  );
  const initial = initialBytes ?? Math.min(DEFAULT_INITIAL_BYTES, maxBytes);
  if (initial > maxBytes) {
    throw new RangeError(`${call}: initialBytes ${initial} is above maxBytes ${maxBytes}`);
  }
  return { initial: pagesFor(initial), max: maxBytes / PAGE_BYTES };
};

/** `options` when it is an options object with a boolean (or absent) `shared`; throws otherwise. */
const checkOptions = (call: string, options: unknown): MemoryOptions => {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${call}: options must be an object, got ${describeValue(options)}`);
  }
  const { shared } = options as { shared?: unknown };
  if (shared !== undefined && typeof shared !== 'boolean') {
    throw new TypeError(`${call}: shared must be a boolean, got ${describeValue(shared)}`);
  }
  return options as MemoryOptions;
};

/** Runs `make`, turning the engine's refusal to allocate into a `RangeError` that names `call`. */
const allocating = <A>(call: string, bytes: number, make: () => A): A => {
  try {
    return make();
  } catch (error) {
    throw new RangeError(
      `${call}: the engine could not allocate a memory of ${bytes} bytes (${String(error)})`,
      { cause: error },
    );
  }
};

/**
 * The check of {@link Memory.ensure}'s arguments, on its slow path: an address is a number
 * (a `TypeError` otherwise) that is a non-negative safe integer, and so is a size (a
 * `RangeError` otherwise).
 */
/** Whether `views` reach the `size` bytes at `address`: the fast path of `ensure` and `ensureWritable`. */
const reaches = (views: Views, address: number, size: number): boolean =>
  Number.isInteger(address) &&
  Number.isInteger(size) &&
  address >= 0 &&
  size >= 0 &&
  address + size <= views.u8.length;

const checkRange = (call: string, address: unknown, size: unknown): void => {
  if (typeof address !== 'number') {
    throw new TypeError(
      `${call}: an address must be a number, got ${describeValue(address)}` +
        (typeof address === 'bigint' ? ' (addresses are numbers: use Number(x))' : ''),
    );
  }
  if (!Number.isSafeInteger(address) || address < 0) {
    throw new RangeError(
      `${call}: address must be a non-negative safe integer, got ${describeValue(address)}`,
    );
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(
      `${call}: size must be a non-negative safe integer, got ${describeValue(size)}`,
    );
  }
};

/**
 * The most bytes a source can ever hold: its maximum for growable sources, its length for
 * fixed ones. A WebAssembly memory reports no maximum to JavaScript, so it is taken as the
 * largest memory; growing past its real maximum fails, and {@link Memory.grow} says so.
 */
const maxLengthOf = (source: MemorySource, wasm: boolean): number => {
  if (wasm) return MAX_MEMORY_BYTES;
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
 * An `ArrayBuffer` that is transferred away (by `postMessage` or `structuredClone` with a
 * transfer list) is detached for good: every function that renews the views then throws
 * {@link DetachedMemoryError}, naming the call. JavaScript leaves such an access to a bare
 * `TypeError` from the engine. A WebAssembly memory's buffer cannot be transferred, and a
 * `SharedArrayBuffer` is shared, never transferred.
 *
 * @since 0.1.0
 */
export class Memory {
  // `views` and `writeViews` are `declare`d, not class fields: an ES2022 class field is defined
  // as `undefined` before the constructor assigns it, and V8 then tracks it as a mutable field
  // from the start. Assigned once, in the constructor, V8 tracks it as constant: a program that
  // V8 inlines into a loop (a field peek, a peek) reads the views as constants, as hand-written
  // code reads its own `DataView`. That lasts until the views of any `Memory` of the process are
  // renewed (growth, `protect`, `refresh`): from then on V8 reads the field on every access, as
  // before. Nothing else changes: every access still checks the views it reads. An access that
  // current views do not reach (past the end) does not renew them (see `stale`).
  /**
   * The current views, for reading. They may be stale: see {@link Memory.ensure}. They reach no
   * byte while the memory is not readable (see {@link Memory.protect}).
   */
  declare views: Views;
  /**
   * The current views, for writing: the same set as {@link Memory.views}, or, while the memory
   * is not writable, a set that reaches no byte, so that every write falls to
   * {@link Memory.ensureWritable}, which refuses it. The rule for writers is the readers' rule
   * with these views and `ensureWritable`; it costs nothing more than reading `views`.
   */
  declare writeViews: Views;
  private allowed: MemoryAccess = FULL_ACCESS;

  private constructor(
    /** The bytes this memory stands for. */
    readonly source: MemorySource,
    /** Whether the bytes are in a `SharedArrayBuffer` (shareable with workers). */
    readonly shared: boolean,
    /** The most bytes this memory may hold (its length, if it cannot grow). */
    readonly maxByteLength: number,
    /** Whether the source is a WebAssembly memory (it replaces its buffer when it grows). */
    private readonly wasm: boolean,
    call: string,
  ) {
    this.views = this.writeViews = this.currentViews(call);
  }

  /**
   * A new memory of its own. Non-shared memories are a `WebAssembly.Memory` and shared ones a
   * growable `SharedArrayBuffer`: on Node 20 both give fast fixed-length views and grow without
   * copying, which a resizable `ArrayBuffer` does not (its views are 2–7x slower).
   *
   * It never holds more than `maxBytes`, which must be a whole number of 64 KiB pages (see
   * {@link MemoryOptions}). Errors name `call` (default `Memory.create`): a `TypeError` when
   * `options` is not an object or `shared` not a boolean; a `RangeError` when a size is not a
   * non-negative safe integer, is above {@link MAX_MEMORY_BYTES}, `maxBytes` is not a whole
   * number of pages, `initialBytes > maxBytes`, or the engine cannot allocate the memory; and
   * {@link SharedMemoryUnavailableError} for `shared: true` where there is no
   * `SharedArrayBuffer`.
   */
  static create(options: MemoryOptions = {}, call = 'Memory.create'): Memory {
    const { initial, max } = sizesOf(call, checkOptions(call, options));
    if (options.shared === true) {
      if (typeof SharedArrayBuffer === 'undefined') throw new SharedMemoryUnavailableError(call);
      const buffer = allocating(
        call,
        initial * PAGE_BYTES,
        () => new SharedArrayBuffer(initial * PAGE_BYTES, { maxByteLength: max * PAGE_BYTES }),
      );
      return new Memory(buffer, true, max * PAGE_BYTES, false, call);
    }
    const memory = allocating(
      call,
      initial * PAGE_BYTES,
      () => new WebAssembly.Memory({ initial, maximum: max }),
    );
    return new Memory(memory, false, max * PAGE_BYTES, true, call);
  }

  /**
   * A memory over existing bytes: an `ArrayBuffer`, a `SharedArrayBuffer`, or a WebAssembly
   * memory (a `WebAssembly.Memory`, or any object of the {@link WasmMemory} shape), which is
   * shared when its buffer is a `SharedArrayBuffer`. Nothing is copied; the source keeps
   * working as before.
   *
   * Throws a `TypeError` when `source` is none of these (a typed array is not: pass its
   * `.buffer`), and {@link DetachedMemoryError} when it is a buffer that was transferred away.
   * Both name `call` (default `Memory.from`).
   */
  static from(source: MemorySource, call = 'Memory.from'): Memory {
    const wasm = isWasmMemory(source);
    if (!wasm && !isBuffer(source)) {
      throw new TypeError(
        `${call}: expected an ArrayBuffer, a SharedArrayBuffer or a WebAssembly.Memory, got ` +
          describeValue(source),
      );
    }
    const buffer = wasm ? source.buffer : source;
    return new Memory(source, isSharedBuffer(buffer), maxLengthOf(source, wasm), wasm, call);
  }

  /** The source's buffer as it is now (a WebAssembly memory replaces its buffer when it grows). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.wasm ? (this.source as WasmMemory).buffer : (this.source as ArrayBuffer);
  }

  /**
   * The memory's length as it is now, read from the source (not from the cached views): 0 once
   * its buffer has been transferred away.
   */
  get byteLength(): number {
    return Math.min(this.buffer.byteLength, MAX_MEMORY_BYTES);
  }

  /**
   * Views that reach the `size` bytes at `address`. Returns the cached views when they do;
   * otherwise renews them from the source, unless they already cover its current buffer and
   * length, and returns the new ones.
   *
   * Throws, naming `call`: a `TypeError` when `address` is not a number (a bigint too), a
   * `RangeError` when `address` or `size` is not a non-negative safe integer (C leaves a
   * negative offset undefined; here `ensure(-4, 4)` reaches no byte and is refused),
   * {@link MemoryBoundsError} when the memory ends before `address + size`, and
   * {@link DetachedMemoryError} when its buffer was transferred away. Nothing is read or
   * written either way. `size` may be a `bigint` whose value is a safe integer.
   */
  ensure(address: number, size: number | bigint, call = 'Memory.ensure'): Views {
    if (typeof address !== 'number' || typeof size !== 'number') {
      return this.ensure(addressArgument(call, address), countArgument(call, 'size', size), call);
    }
    const views = this.views;
    if (reaches(views, address, size)) return views;
    checkRange(call, address, size);
    const renewed = this.stale() ? this.refresh(call) : views;
    if (address + size <= renewed.u8.length) return renewed;
    if (!this.allowed.read) throw this.refused(call, address, size, 'read');
    throw new MemoryBoundsError(call, address, size, renewed.u8.length);
  }

  /**
   * Views that reach the `size` bytes at `address`, for writing them: {@link Memory.ensure}'s
   * counterpart for writers, returning {@link Memory.writeViews}.
   *
   * Throws what `ensure` throws, naming `call` (default `Memory.ensureWritable`), and
   * {@link MemoryProtectionError} when the memory is not writable (see {@link Memory.protect}).
   * Nothing is read or written either way.
   */
  ensureWritable(address: number, size: number | bigint, call = 'Memory.ensureWritable'): Views {
    if (typeof address !== 'number' || typeof size !== 'number') {
      return this.ensureWritable(
        addressArgument(call, address),
        countArgument(call, 'size', size),
        call,
      );
    }
    const views = this.writeViews;
    if (reaches(views, address, size)) return views;
    checkRange(call, address, size);
    if (!this.allowed.write) throw this.refused(call, address, size, 'write');
    if (this.stale()) this.refresh(call);
    const renewed = this.writeViews;
    if (address + size <= renewed.u8.length) return renewed;
    throw new MemoryBoundsError(call, address, size, renewed.u8.length);
  }

  /** What this memory allows now: full access unless {@link Memory.protect} said otherwise. */
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
   * Throws a `TypeError` naming `Memory.protect` when `access` is not an object, `read` or
   * `write` not a boolean or `reason` not a string (nothing changes then), and
   * {@link DetachedMemoryError} when the buffer was transferred away (the protection is set).
   */
  protect(access: MemoryAccess): void {
    if (typeof access !== 'object' || access === null) {
      throw new TypeError(
        `Memory.protect: access must be an object { read, write, reason? }, got ${describeValue(access)}`,
      );
    }
    const {
      read,
      write,
      reason = '',
    } = access as { read: unknown; write: unknown; reason?: unknown };
    if (typeof read !== 'boolean' || typeof write !== 'boolean' || typeof reason !== 'string') {
      throw new TypeError(
        'Memory.protect: read and write must be booleans and reason a string, got ' +
          `${describeValue(read)}, ${describeValue(write)} and ${describeValue(reason)}`,
      );
    }
    this.allowed =
      read && write && reason === '' ? FULL_ACCESS : Object.freeze({ read, write, reason });
    this.refresh('Memory.protect');
  }

  /**
   * Renews the views from the source's current buffer and length, and returns the views for
   * reading (`views`; `writeViews` are renewed too). Throws {@link DetachedMemoryError} (naming
   * `call`, default `Memory.refresh`) when the buffer was transferred away.
   */
  refresh(call = 'Memory.refresh'): Views {
    const current = this.currentViews(call);
    this.views = this.allowed.read ? current : NO_VIEWS;
    this.writeViews = this.allowed.write ? current : NO_VIEWS;
    return this.views;
  }

  /**
   * Whether the views may be behind the source: a buffer other than theirs, another length, or no
   * bytes (a buffer that may have been transferred away, which `refresh` reports). Views that
   * are current are not renewed by an access they do not reach: every renewal makes V8 read a
   * memory's views as a mutable field in the whole process from then on (see `views`).
   */
  private stale(): boolean {
    const views = this.allowed.read ? this.views : this.writeViews;
    const buffer = this.buffer;
    const length = views.u8.length;
    return (
      views.buffer !== buffer ||
      length === 0 ||
      length !== Math.min(buffer.byteLength, MAX_MEMORY_BYTES)
    );
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
   * (a fixed buffer, the maximum reached, more than any memory holds, or the engine refused);
   * a refused growth leaves the memory as it was. Throws a `RangeError` when `minByteLength`
   * is not a non-negative safe integer, and {@link DetachedMemoryError} when the buffer was
   * transferred away (both name `Memory.grow`). `minByteLength` may be a `bigint` whose value
   * is a safe integer.
   */
  grow(minByteLength: number | bigint): boolean {
    if (typeof minByteLength === 'bigint')
      minByteLength = countArgument('Memory.grow', 'minByteLength', minByteLength);
    if (
      typeof minByteLength !== 'number' ||
      !Number.isSafeInteger(minByteLength) ||
      minByteLength < 0
    ) {
      throw new RangeError(
        `Memory.grow: minByteLength must be a non-negative safe integer, got ${describeValue(minByteLength)}`,
      );
    }
    const current = this.byteLength;
    if (current === 0) this.refresh('Memory.grow'); // no bytes: perhaps transferred away
    if (minByteLength <= current) return true;
    if (minByteLength > this.maxByteLength) return false;
    const target = Math.min(pagesFor(minByteLength) * PAGE_BYTES, this.maxByteLength);
    try {
      this.growSource(current, Math.max(target, minByteLength));
    } catch {
      // A refused growth (past the source's own maximum, out of address space, or another
      // worker grew a shared buffer past `target` first) is reported by the length check below.
    }
    this.refresh('Memory.grow');
    return this.byteLength >= minByteLength;
  }

  private growSource(current: number, target: number): void {
    const source = this.source;
    if (this.wasm) {
      (source as WasmMemory).grow(pagesFor(target) - pagesFor(current));
    } else if (this.shared) {
      (source as SharedArrayBuffer & { grow(n: number): void }).grow(target);
    } else {
      (source as ArrayBuffer & { resize(n: number): void }).resize(target);
    }
  }

  /** The views over the source's current buffer; the one place where views are renewed. */
  private currentViews(call: string): Views {
    const buffer = this.buffer;
    return makeViews(buffer, Math.min(buffer.byteLength, MAX_MEMORY_BYTES), call);
  }
}
