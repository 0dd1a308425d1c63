/**
 * A tracking memory interface: Allegro's leak tracker (`mi_malloc` and `mi_calloc` record
 * `ptr → {size, file, line, func, seq}`, `mi_realloc` moves the record, `mi_free` deletes it),
 * with the live blocks as data (`leaks()`) and as a readable report.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import { checkBase } from './base.js';
import { siteText } from './call-site.js';
import { hookOf } from './checks.js';
import { LiveRecords } from './live-records.js';
import type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';

/**
 * One live block a {@link trackingInterface} handed out, with where it was allocated.
 *
 * @category model
 * @since 0.1.0
 */
export interface LiveBlock {
  /** Its address now (a `mi_realloc` that moved it moved the record). */
  readonly address: number;
  /** The bytes asked for (`mi_calloc`: `count * n`; after a `mi_realloc`, its `n`). */
  readonly size: number;
  /** Its number among the allocations the interface saw (from 1): the order of allocation. */
  readonly seq: number;
  /** The hook that allocated it (`mi_realloc` for `mi_realloc(0, n)`). */
  readonly hook: 'mi_malloc' | 'mi_calloc' | 'mi_realloc';
  /** The call site of its allocation (`0, '', ''` when none was captured). */
  readonly line: number;
  readonly file: string;
  readonly func: string;
}

/**
 * How {@link TrackingInterface.report} writes a call site's file.
 *
 * @category model
 * @since 0.1.0
 */
export interface ReportOptions {
  /** `true`: the file's last path segment only (`leak.ts`), for output that does not depend on where the program is. */
  readonly basename?: boolean;
}

/**
 * A tracking interface: {@link ALLEGRO_MEMORY_INTERFACE} plus its record of live blocks.
 *
 * @category model
 * @since 0.1.0
 */
export interface TrackingInterface extends ALLEGRO_MEMORY_INTERFACE {
  /** The blocks it handed out that are live, in the order they were allocated (copies). */
  leaks(): LiveBlock[];
  /** How many blocks are live. */
  readonly live: number;
  /**
   * The live blocks as text: a summary line, then one line per call site (blocks, bytes, the
   * sequence numbers of its first blocks), the call site with the most bytes first. `"no live
   * blocks\n"` when there are none.
   */
  report(options?: ReportOptions): string;
}

/**
 * The options of {@link trackingInterface}.
 *
 * @category model
 * @since 0.1.0
 */
export interface TrackingOptions {
  /**
   * Whether to ask for call sites (default `true`). `false`: the interface records blocks
   * without them (`line` 0, `file` and `func` `''`), and no stack trace is taken for it.
   */
  readonly callSites?: boolean;
}

const CALL = 'trackingInterface';

/**
 * What a tracking interface is made on: its `live` getter, on the prototype. A getter written in
 * an object literal puts the object in dictionary mode, whose properties V8 reads slowly; and a
 * context's door reads the interface's hooks at every call.
 */
class Tracker {
  readonly #records: LiveRecords;
  constructor(records: LiveRecords) {
    this.#records = records;
  }
  /** How many blocks are live. */
  get live(): number {
    return this.#records.size;
  }
}

/** How many sequence numbers a report line shows before `…`. */
const SHOWN = 5;

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The report of `blocks` (in allocation order). */
const reportOf = (blocks: LiveBlock[], basename: boolean): string => {
  if (blocks.length === 0) return 'no live blocks\n';
  const sites = new Map<string, LiveBlock[]>();
  let bytes = 0;
  for (const b of blocks) {
    bytes += b.size;
    const key = siteText(b, basename);
    const list = sites.get(key);
    if (list === undefined) sites.set(key, [b]);
    else list.push(b);
  }
  const total = (list: LiveBlock[]) => list.reduce((n, b) => n + b.size, 0);
  const rows = [...sites].sort(([, a], [, b]) => total(b) - total(a) || a[0]!.seq - b[0]!.seq);
  const head = `${plural(blocks.length, 'live block')}, ${plural(bytes, 'byte')}, from ${plural(rows.length, 'call site')}:`;
  const lines = rows.map(([site, list]) => {
    const seqs = list.slice(0, SHOWN).map((b) => `#${b.seq}`);
    if (list.length > SHOWN) seqs.push('…');
    return `  ${plural(list.length, 'block')}, ${plural(total(list), 'byte')} at ${site} [${seqs.join(' ')}]`;
  });
  return `${head}\n${lines.join('\n')}\n`;
};

/**
 * An interface that records every block it hands out with its size, its sequence number and the
 * call site of its allocation, and passes every call on to `base` (whose hooks it looks up at
 * each call): a non-zero `mi_malloc`, `mi_calloc` or `mi_realloc(0, n)` adds a record;
 * `mi_realloc(p, n)` that succeeds moves `p`'s record to the new address and size, keeping its
 * call site and number; `mi_realloc(p, 0)` and `mi_free(p)` delete it (after `base` did, so a
 * `base` that throws leaves the record as it was). `mi_free(0)` is passed on and changes nothing.
 * A block it did not give is passed to `base` as it is (the heap refuses one that is no live
 * block). It asks for call sites unless `options.callSites` is `false`. Throws a `TypeError`
 * naming `trackingInterface` for a bad `base` or `options`.
 *
 * @category ready interfaces
 * @since 0.1.0
 */
export const trackingInterface = (
  base: ALLEGRO_MEMORY_INTERFACE,
  options: TrackingOptions = {},
): TrackingInterface => {
  const b = checkBase(CALL, base);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${CALL}: options ${showValue(options)} is not an object`);
  }
  const wanted = options.callSites;
  if (wanted !== undefined && typeof wanted !== 'boolean') {
    throw new TypeError(`${CALL}: options.callSites ${showValue(wanted)} is not a boolean`);
  }
  const live = new LiveRecords();
  let seq = 0;
  const record = (
    p: number,
    size: number,
    hook: LiveBlock['hook'],
    line: number,
    file: string,
    func: string,
  ): number => {
    seq += 1;
    if (p !== 0) live.add(p, size, seq, hook, line, file, func);
    return p;
  };
  return Object.assign(new Tracker(live), {
    callSites: wanted !== false,
    mi_malloc(n: number, line: number, file: string, func: string) {
      const p = hookOf(CALL, 'mi_malloc', b.mi_malloc).call(b, n, line, file, func) as number;
      return record(p, n, 'mi_malloc', line, file, func);
    },
    mi_calloc(count: number, n: number, line: number, file: string, func: string) {
      const p = hookOf(CALL, 'mi_calloc', b.mi_calloc).call(
        b,
        count,
        n,
        line,
        file,
        func,
      ) as number;
      return record(p, count * n, 'mi_calloc', line, file, func);
    },
    mi_realloc(ptr: number, n: number, line: number, file: string, func: string) {
      const q = hookOf(CALL, 'mi_realloc', b.mi_realloc).call(
        b,
        ptr,
        n,
        line,
        file,
        func,
      ) as number;
      if (ptr === 0 || !live.has(ptr)) {
        return n === 0 ? q : record(q, n, 'mi_realloc', line, file, func);
      }
      if (q !== 0) live.move(ptr, q, n);
      else if (n === 0) live.delete(ptr);
      return q;
    },
    mi_free(ptr: number, line: number, file: string, func: string) {
      hookOf(CALL, 'mi_free', b.mi_free).call(b, ptr, line, file, func);
      live.delete(ptr);
    },
    leaks: () => live.blocks(),
    report(opts: ReportOptions = {}) {
      if (typeof opts !== 'object' || opts === null) {
        throw new TypeError(`report: options ${showValue(opts)} is not an object`);
      }
      return reportOf(live.blocks(), opts.basename === true);
    },
  });
};
