/**
 * The C programs of c/ffi/ driven through foreign-ts/wasm, as plain functions over a wasm
 * context: test/wasm/programs.test.ts runs them in Node (with property tests around them), and
 * the browser page test/browser/pages/wasm-ffi.ts runs them in Chromium. No Node API here.
 */
import {
  CDouble,
  CInt,
  CLLong,
  CSize,
  CUChar,
  Int32,
  Ptr,
  chars,
  offsetOf,
  struct,
  wasm32,
  type Ptr as PtrT,
  type StorableOf,
} from 'foreign-ts';
import {
  Void,
  foreignImport,
  foreignImportWrapper,
  freeHaskellFunPtr,
  inCString,
  type WasmContext,
} from 'foreign-ts/wasm';

// -------------------------------------------------------------------------------------------
// qsort with a TypeScript comparator (c/ffi/qsort.c)
// -------------------------------------------------------------------------------------------

/** `typedef struct { int32_t id; double score; char name[12]; } Record;` */
export const Record = struct({ id: Int32, score: CDouble, name: chars(12) }, 'Record');
export type Record = StorableOf<typeof Record>;

/** What C reports of `Record`'s layout, beside the library's. */
export const recordLayout = (ctx: WasmContext) => ({
  c: [
    foreignImport(ctx, 'record_size', [], CSize)()(),
    foreignImport(ctx, 'record_score_offset', [], CSize)()(),
    foreignImport(ctx, 'record_name_offset', [], CSize)()(),
  ],
  ts: [Record.sizeOf, offsetOf(Record, 'score'), offsetOf(Record, 'name')],
});

/**
 * The records sorted by C's qsort with a TypeScript comparator (by score, then id), and C's own
 * check of the order with the same comparator; the comparator's calls are counted.
 */
export const qsortRecords = (ctx: WasmContext, records: readonly Record[]) => {
  const F = ctx.foreign;
  const sort = foreignImport(ctx, 'sort_records', [Ptr, CSize, wasm32.FunPtr], Void);
  const sorted = foreignImport(ctx, 'is_sorted', [Ptr, CSize, wasm32.FunPtr], CInt);
  let calls = 0;
  const compare = foreignImportWrapper(
    ctx,
    [Ptr, Ptr],
    CInt,
  )((a, b) => () => {
    calls++;
    const x = F.peek(Record, a as PtrT<Record>)();
    const y = F.peek(Record, b as PtrT<Record>)();
    return x.score < y.score ? -1 : x.score > y.score ? 1 : x.id - y.id;
  })();
  const p = F.newArray(Record, records)();
  try {
    sort(p, records.length, compare)();
    return {
      sorted: F.peekArray(Record, records.length, p)(),
      cSaysSorted: sorted(p, records.length, compare)() === 1,
      calls,
    };
  } finally {
    F.free(p)();
    freeHaskellFunPtr(ctx, compare)();
  }
};

/** The order qsortRecords must give. */
export const sortedRecords = (records: readonly Record[]): Record[] =>
  [...records].sort((x, y) => (x.score < y.score ? -1 : x.score > y.score ? 1 : x.id - y.id));

// -------------------------------------------------------------------------------------------
// a linked list (c/ffi/list.c)
// -------------------------------------------------------------------------------------------

/** `typedef struct Node { int32_t value; struct Node *next; } Node;` */
export interface Node {
  readonly value: number;
  readonly next: PtrT<Node>;
}
export const Node = struct({ value: Int32, next: wasm32.ptrTo<Node>() }, 'Node');

/**
 * A list of `values` built from TypeScript (`new` per node), walked by C (length, sum, the
 * node at an index), reversed in place by C and walked back by TypeScript; and a list C built
 * with its malloc, walked by TypeScript and freed by C.
 */
export const linkedList = (ctx: WasmContext, values: readonly number[]) => {
  const F = ctx.foreign;
  const length = foreignImport(ctx, 'list_length', [Ptr], CSize);
  const sum = foreignImport(ctx, 'list_sum', [Ptr], CLLong);
  const nth = foreignImport(ctx, 'list_nth', [Ptr, CSize], Ptr);
  const reverse = foreignImport(ctx, 'list_reverse', [Ptr], Ptr);
  const range = foreignImport(ctx, 'list_range', [CInt, CSize], Ptr);
  const free = foreignImport(ctx, 'list_free', [Ptr], Void);
  let head = 0 as PtrT<Node>;
  for (let i = values.length - 1; i >= 0; i--)
    head = F.new(Node, { value: values[i]!, next: head })();
  const walk = (p: PtrT<Node>): number[] => {
    const out: number[] = [];
    for (; p !== 0; p = F.peek(Node, p)().next) out.push(F.peek(Node, p)().value);
    return out;
  };
  const middle = nth(head, values.length >> 1)() as PtrT<Node>;
  const result = {
    length: length(head)(),
    sum: sum(head)(),
    middle: middle === 0 ? null : F.peek(Node, middle)().value,
    reversed: walk((head = reverse(head)() as PtrT<Node>)),
  };
  while (head !== 0) {
    const next = F.peek(Node, head)().next;
    F.free(head)();
    head = next;
  }
  const cList = range(values.length, 5)() as PtrT<Node>;
  const fromC = walk(cList);
  free(cList)();
  return { ...result, fromC };
};

// -------------------------------------------------------------------------------------------
// UTF-8 strings (c/ffi/strings.c)
// -------------------------------------------------------------------------------------------

/** C's length in code points, C's in-place reverse, and C's snprintf, of `s`. */
export const utf8Strings = (ctx: WasmContext, s: string, x: number, y: number, size: number) => {
  const F = ctx.foreign;
  const length = foreignImport(ctx, 'utf8_length', [inCString], CSize);
  const reverse = foreignImport(ctx, 'utf8_reverse', [Ptr], Void);
  const format = foreignImport(ctx, 'format_point', [Ptr, CSize, inCString, CInt, CDouble], CInt);
  const p = F.newCString(s)();
  reverse(p)();
  const reversed = F.peekCString(p)();
  F.free(p)();
  const formatted = F.allocaBytes(Math.max(size, 1), (buf) => () => {
    const n = format(buf, size, s, x, y)();
    return { n, text: size === 0 ? '' : F.peekCString(buf as PtrT<number>)() };
  })();
  return { length: length(s)(), reversed, formatted };
};

/** What utf8Strings must give, computed in TypeScript (snprintf's `%.3f` is `toFixed(3)`). */
export const expectedStrings = (s: string, x: number, y: number, size: number) => {
  const full = `${s} = (${x}, ${y.toFixed(3)})`;
  const bytes = new TextEncoder().encode(full);
  return {
    length: [...s].length,
    reversed: [...s].reverse().join(''),
    formatted: {
      n: bytes.length,
      text: new TextDecoder().decode(bytes.subarray(0, Math.max(size - 1, 0))),
    },
  };
};

// -------------------------------------------------------------------------------------------
// C calling back with a struct pointer (c/ffi/callback.c)
// -------------------------------------------------------------------------------------------

/** `typedef struct { int32_t kind, x, y; double time; uint8_t handled; } Event;` */
export const Event = struct(
  { kind: Int32, x: Int32, y: Int32, time: CDouble, handled: CUChar },
  'Event',
);
export type Event = StorableOf<typeof Event>;

/**
 * The events C emits (each a pointer to a struct on C's stack, peeked in the callback), and
 * C's sum over events a TypeScript handler changed in place (kind 1: x doubled and marked
 * handled; the handler returns the kind).
 */
export const structCallbacks = (ctx: WasmContext, n: number) => {
  const F = ctx.foreign;
  const emit = foreignImport(ctx, 'emit_events', [CInt, wasm32.FunPtr], Void);
  const dispatch = foreignImport(ctx, 'dispatch_events', [CInt, wasm32.FunPtr], CLLong);
  const seen: Event[] = [];
  const observe = foreignImportWrapper(
    ctx,
    [Ptr],
    Void,
  )((p) => () => {
    seen.push(F.peek(Event, p as PtrT<Event>)());
  })();
  const handle = foreignImportWrapper(
    ctx,
    [Ptr],
    CInt,
  )((p) => () => {
    const e = F.peek(Event, p as PtrT<Event>)();
    if (e.kind === 1) F.poke(Event, p as PtrT<Event>, { ...e, x: e.x * 2, handled: 1 })();
    return e.kind;
  })();
  try {
    emit(n, observe)();
    return {
      size: [foreignImport(ctx, 'event_size', [], CSize)()(), Event.sizeOf],
      seen,
      dispatched: dispatch(n, handle)(),
    };
  } finally {
    freeHaskellFunPtr(ctx, observe)();
    freeHaskellFunPtr(ctx, handle)();
  }
};

/** What structCallbacks must give. */
export const expectedCallbacks = (n: number) => {
  const seen: Event[] = [];
  let dispatched = 0n;
  for (let i = 0; i < n; i++) {
    seen.push({ kind: i % 3, x: i, y: i * i, time: i * 0.5, handled: 0 });
    if (i % 3 === 1) dispatched += BigInt(2 * i);
    dispatched += 1000n * BigInt(i % 3);
  }
  return { size: [Event.sizeOf, Event.sizeOf], seen, dispatched };
};

/** Fixed inputs, for the browser page and a test that checks the same outputs. */
export const SAMPLE = {
  records: [5, 3, 9, 1, 3, 7, 2, 8].map((k, i) => ({
    id: i,
    score: k / 2,
    name: `r${i}-é`,
  })),
  list: [4, -2, 7, 0, 11, 3],
  string: 'naïve café → 🙂 日本',
  events: 12,
};

/** Every program on the sample inputs, in one object (the browser page's result). */
export const runSample = (load: (name: string) => WasmContext) => {
  const q = load('qsort');
  const records = SAMPLE.records;
  return {
    qsort: { ...qsortRecords(q, records), layout: recordLayout(q) },
    qsortExpected: sortedRecords(records),
    list: linkedList(load('list'), SAMPLE.list),
    strings: [0, 8, 64].map((size) => ({
      got: utf8Strings(load('strings'), SAMPLE.string, -42, Math.PI, size),
      expected: expectedStrings(SAMPLE.string, -42, Math.PI, size),
    })),
    callbacks: {
      got: structCallbacks(load('callback'), SAMPLE.events),
      expected: expectedCallbacks(SAMPLE.events),
    },
  };
};
