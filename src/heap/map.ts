/**
 * A picture of a heap: its blocks, used and free, in address order ({@link heapBlocks}), and
 * the same drawn to scale as SVG ({@link heapMap}). Free functions over the heap's views, like
 * `check`: they read the blocks where the allocator keeps them (the headers and their tags)
 * and change nothing. The SVG is plain text, made without any DOM or Node API, so the same
 * function draws a heap in a page (`element.innerHTML = heapMap(heap)`), in a worker, or into
 * a file (`npm run heap-map`).
 *
 * @since 0.1.0
 */
import { lock, unlock } from '../mutex/index.js';
import { describe } from '../arguments/index.js';
import { Heap } from './heap.js';
import {
  CACHED,
  F_BITMAP,
  F_FLAGS,
  F_LOCK,
  F_SENTINEL,
  F_START,
  FLAG_CHECKED,
  FREE,
  HEADER_BYTES,
  TAGS,
} from './layout.js';

// -------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------

/**
 * What a stretch of a heap's region holds: the control block, a block in use, a free block,
 * a block in the cache of recently freed small blocks (free to its user, not yet merged), the
 * live-block bitmap of a checked heap, or the sentinel that ends the region.
 *
 * @category heap
 * @since 0.1.0
 */
export type HeapBlockKind = 'control' | 'used' | 'free' | 'cached' | 'bitmap' | 'sentinel';

/**
 * One stretch of a heap's region: `size` bytes from `address` (a block's header included).
 *
 * @category heap
 * @since 0.1.0
 */
export interface HeapBlock {
  readonly address: number;
  readonly size: number;
  readonly kind: HeapBlockKind;
}

/**
 * Options of {@link heapMap}.
 *
 * @category heap
 * @since 0.1.0
 */
export interface HeapMapOptions {
  /** Width of the picture in pixels, 200 to 4000 (a number or a bigint). Default 800. */
  readonly width?: number | bigint;
  /**
   * Bytes of the region drawn on each row, a positive multiple of 8 (a number or a bigint).
   * Default: the region's bytes over 8 rows, rounded up to a multiple of 8.
   */
  readonly rowBytes?: number | bigint;
  /** A title drawn above the blocks. Default none. */
  readonly title?: string;
}

const COLORS: Readonly<Record<HeapBlockKind, string>> = {
  control: '#4b5563',
  used: '#2563eb',
  free: '#d1fae5',
  cached: '#f59e0b',
  bitmap: '#9ca3af',
  sentinel: '#111827',
};

const ROW_HEIGHT = 28;
const ROW_GAP = 6;
const MARGIN = 10;
const LEGEND = 22;

// -------------------------------------------------------------------------------------------
// the walk
// -------------------------------------------------------------------------------------------

const heapArg = (call: string, heap: unknown): Heap => {
  if (!(heap instanceof Heap)) throw new TypeError(`${call}: ${describe(heap)} is not a Heap`);
  return heap;
};

/** Reads the blocks from the views (the caller holds the lock of a shared heap). */
const walk = (heap: Heap, call: string): HeapBlock[] => {
  const base = heap.base;
  const head = heap.memory.ensure(base, F_SENTINEL + 4, call).u32;
  const start = head[(base + F_START) >>> 2]!;
  const sentinel = head[(base + F_SENTINEL) >>> 2]!;
  const checked = (head[(base + F_FLAGS) >>> 2]! & FLAG_CHECKED) !== 0;
  const top = checked ? head[(base + F_BITMAP) >>> 2]! : sentinel;
  const u32 = heap.memory.ensure(base, sentinel + HEADER_BYTES - base, call).u32;
  const blocks: HeapBlock[] = [{ address: base, size: start - base, kind: 'control' }];
  for (let b = start; b < top;) {
    const header = u32[b >>> 2]!;
    const size = header & ~TAGS;
    if (size === 0 || b + size > top) break; // a damaged heap: check() says where
    const kind = (header & CACHED) !== 0 ? 'cached' : (header & FREE) !== 0 ? 'free' : 'used';
    blocks.push({ address: b, size, kind });
    b += size;
  }
  if (checked) blocks.push({ address: top, size: sentinel - top, kind: 'bitmap' });
  blocks.push({ address: sentinel, size: HEADER_BYTES, kind: 'sentinel' });
  return blocks;
};

/**
 * The stretches of `heap`'s region in address order, from its control block to its sentinel:
 * every block with its size and whether it is used, free or cached. A shared heap is read under
 * its lock, so the picture is of one moment. O(number of blocks). The sizes add up to
 * `stats().heapBytes`; the `used` blocks are `stats().liveBlocks`, the `free` and `cached`
 * ones `stats().freeBlocks`.
 *
 * Reading stops at a block whose header cannot be right (size 0, or running past the end): a
 * damaged heap gives the blocks up to the damage, and `check()` says what is wrong. Throws a
 * `TypeError` naming `heapBlocks` when `heap` is not a `Heap`.
 *
 * @category heap
 * @since 0.1.0
 */
export const heapBlocks = (heap: Heap): HeapBlock[] => {
  const call = 'heapBlocks';
  const h = heapArg(call, heap);
  if (!h.shared || !h.memory.shared) return walk(h, call);
  const i32 = h.memory.ensure(h.base, F_LOCK + 4, call).i32;
  const index = (h.base + F_LOCK) >>> 2;
  lock(i32, index);
  try {
    return walk(h, call);
  } finally {
    unlock(i32, index);
  }
};

// -------------------------------------------------------------------------------------------
// the picture
// -------------------------------------------------------------------------------------------

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const integerOption = (
  call: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined => {
  if (value === undefined) return undefined;
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new RangeError(
      `${call}: ${name} must be an integer from ${min} to ${max}, got ${describe(value)}`,
    );
  }
  return n;
};

interface Checked {
  readonly width: number;
  readonly rowBytes?: number;
  readonly title?: string;
}

const optionsArg = (call: string, options: unknown): Checked => {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${call}: options must be an object, got ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  const width = integerOption(call, 'width', o.width, 200, 4000) ?? 800;
  const rowBytes = integerOption(call, 'rowBytes', o.rowBytes, 8, 2 ** 32);
  if (rowBytes !== undefined && rowBytes % 8 !== 0) {
    throw new RangeError(`${call}: rowBytes must be a multiple of 8, got ${rowBytes}`);
  }
  if (o.title !== undefined && typeof o.title !== 'string') {
    throw new TypeError(`${call}: title must be a string, got ${describe(o.title)}`);
  }
  return {
    width,
    ...(rowBytes === undefined ? {} : { rowBytes }),
    ...(o.title === undefined ? {} : { title: o.title as string }),
  };
};

const label = (b: HeapBlock): string =>
  b.kind === 'control' || b.kind === 'bitmap' || b.kind === 'sentinel'
    ? `${b.kind}: ${b.size} bytes at ${b.address}`
    : `${b.kind} block at ${b.address}: ${b.size} bytes` +
      (b.kind === 'used' ? ` (payload ${b.address + HEADER_BYTES})` : '');

/**
 * `heap` drawn to scale as an SVG document: the region from the control block to the sentinel
 * in rows of `rowBytes` bytes, each block a rectangle as wide as its bytes (a block that crosses
 * a row's end goes on in the next row), coloured by kind, with a legend and the counts of used
 * and free blocks and bytes. Each rectangle carries `data-kind`, `data-address` and
 * `data-size` attributes and a `<title>` (its tooltip), one `<g>` per block, so a page or a test
 * can read the picture back. Blocks narrower than a pixel are drawn a pixel wide.
 *
 * Throws a `TypeError` naming `heapMap` when `heap` is not a `Heap` or `options` is not an
 * object, and a `RangeError` for a width or row size out of range.
 *
 * @category heap
 * @since 0.1.0
 */
export const heapMap = (heap: Heap, options: HeapMapOptions = {}): string => {
  const call = 'heapMap';
  const h = heapArg(call, heap);
  const o = optionsArg(call, options);
  const blocks = heapBlocks(h);
  const first = blocks[0]!.address;
  const last = blocks[blocks.length - 1]!;
  const total = last.address + last.size - first;
  const rowBytes = o.rowBytes ?? Math.ceil(total / 8 / 8) * 8;
  const rows = Math.max(1, Math.ceil(total / rowBytes));
  const inner = o.width - 2 * MARGIN;
  const scale = inner / rowBytes;
  const top = MARGIN + (o.title === undefined ? 0 : LEGEND);
  const height = top + rows * (ROW_HEIGHT + ROW_GAP) + 2 * LEGEND;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${height}" ` +
      `viewBox="0 0 ${o.width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${o.width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (o.title !== undefined) {
    out.push(
      `<text x="${MARGIN}" y="${MARGIN + 13}" font-weight="bold">${escapeXml(o.title)}</text>`,
    );
  }
  for (const b of blocks) {
    const parts: string[] = [];
    for (let at = b.address - first, left = b.size; left > 0;) {
      const row = Math.floor(at / rowBytes);
      const inRow = Math.min(left, (row + 1) * rowBytes - at);
      const x = MARGIN + (at - row * rowBytes) * scale;
      const y = top + row * (ROW_HEIGHT + ROW_GAP);
      const w = Math.max(1, inRow * scale);
      parts.push(
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW_HEIGHT}" ` +
          `fill="${COLORS[b.kind]}" stroke="#ffffff" stroke-width="1"/>`,
      );
      at += inRow;
      left -= inRow;
    }
    out.push(
      `<g data-kind="${b.kind}" data-address="${b.address}" data-size="${b.size}">` +
        `<title>${escapeXml(label(b))}</title>${parts.join('')}</g>`,
    );
  }
  const count = (kinds: HeapBlockKind[]): [number, number] =>
    blocks
      .filter((b) => kinds.includes(b.kind))
      .reduce<[number, number]>(([n, bytes], b) => [n + 1, bytes + b.size], [0, 0]);
  const [used, usedBytes] = count(['used']);
  const [free, freeBytes] = count(['free', 'cached']);
  const legendY = top + rows * (ROW_HEIGHT + ROW_GAP) + 4;
  const keys: HeapBlockKind[] = ['control', 'used', 'free', 'cached'];
  keys.forEach((k, i) => {
    const x = MARGIN + i * 90;
    out.push(
      `<rect x="${x}" y="${legendY}" width="12" height="12" fill="${COLORS[k]}" stroke="#6b7280" stroke-width="0.5"/>`,
      `<text x="${x + 16}" y="${legendY + 11}">${k}</text>`,
    );
  });
  out.push(
    `<text x="${MARGIN}" y="${legendY + LEGEND + 11}">${used} used blocks (${usedBytes} bytes), ` +
      `${free} free (${freeBytes} bytes), ${total} bytes in all, ${rowBytes} bytes a row</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
};
