/**
 * Arrays and C strings: lists marshalled to and from C arrays (with and without a terminator),
 * copies, and UTF-8 C strings — NUL-terminated and with an explicit length.
 */
import {
  CChar,
  CDouble,
  CInt,
  MarshalError,
  MemoryBoundsError,
  OverlapError,
  Heap,
  advancePtr,
  castCCharToChar,
  castCharToCChar,
  charIsRepresentable,
  copyArray,
  defaultHeap,
  foreign,
  free,
  lengthArray0,
  moveArray,
  newArray,
  newArray0,
  newCString,
  peekArray,
  peekArray0,
  peekCString,
  peekCStringLen,
  struct,
  withArrayLen,
  withCString,
  withCStringLen,
  type CString,
  type Ptr,
} from 'foreign-ts';

// A C function written in TypeScript: the sum of n ints at p.
const sum = (n: number, p: Ptr<number>) => () => peekArray(CInt, n, p)().reduce((a, b) => a + b, 0);

// Lists in and out of C arrays.
console.log('withArrayLen [1..5], sum =', withArrayLen(CInt, [1, 2, 3, 4, 5], sum)());

// Three C arrays, given back in `finally` whatever happens (free(nullPtr) does nothing, as C's).
const xs = newArray(CDouble, [0.5, 1.5, 2.5])();
const zs = newArray0(CInt, -1, [7, 8, 9])();
const Pair = struct({ a: CInt, b: CInt }, 'Pair');
const pairs = newArray(Pair, [
  { a: 1, b: 2 },
  { a: 3, b: 4 },
  { a: 5, b: 6 },
  { a: 7, b: 8 },
])();
try {
  console.log(
    'newArray + peekArray:',
    peekArray(CDouble, 3, xs)(),
    '- the third is at',
    advancePtr(CDouble, xs, 2) - xs,
    'bytes',
  );

  // Terminated arrays (the "…0" functions): the marker ends the array.
  console.log(
    'newArray0 with marker -1: length',
    lengthArray0(CInt, -1, zs)(),
    'values',
    peekArray0(CInt, -1, zs)(),
  );

  // Arrays of structs, copies and moves (overlapping copies are caught, moves are fine).
  try {
    copyArray(Pair, advancePtr(Pair, pairs, 1), pairs, 2)();
  } catch (error) {
    if (!(error instanceof OverlapError)) throw error;
    console.log('copyArray of overlapping regions:', error.name);
  }
  moveArray(Pair, advancePtr(Pair, pairs, 1), pairs, 2)();
  console.log('after moveArray:', JSON.stringify(peekArray(Pair, 4, pairs)()));
} finally {
  for (const p of [xs, zs, pairs]) free(p)();
}

// A bad element is refused before anything is allocated or written.
try {
  newArray(CInt, [1, 2, 2 ** 40])();
} catch (error) {
  if (error instanceof MarshalError) console.log('refused:', error.message);
}

// C strings are UTF-8, NUL-terminated; the Len variants carry a byte length and allow NULs.
const hello = newCString('héllo, wörld €')();
console.log('peekCString:', peekCString(hello)());
free(hello)();
console.log(
  'withCString, bytes incl. NUL:',
  withCString('é€😀', (p) => () => lengthArray0(CChar, 0, p)() + 1)(),
);
console.log(
  'withCStringLen keeps NULs:',
  JSON.stringify(withCStringLen('a\0b', (csl) => () => [csl[1], peekCStringLen(csl)()])()),
);
try {
  newCString('a\0b')();
} catch (error) {
  if (error instanceof MarshalError) console.log('embedded NUL refused:', error.reason);
}

// Invalid UTF-8 written by C comes back as U+FFFD; a string with no NUL before the end of
// memory is an error, never a read past the end.
const bytes = newArray(CChar, [0x61, -1, 0x62, 0])();
console.log('invalid UTF-8:', JSON.stringify(peekCString(bytes)()));
free(bytes)();
const small = foreign(Heap.over(new ArrayBuffer(65536), { base: 0, size: 32768 }));
const lastBytes = 65536 - 16;
small.context.memory.views.u8.fill(0x41, lastBytes);
try {
  small.peekCString(lastBytes as CString)();
} catch (error) {
  if (error instanceof MemoryBoundsError)
    console.log('no NUL before the end of memory:', error.name);
}

// Characters and C chars (Latin-1), with the undefined cases defined.
console.log(
  'castCharToCChar(é) =',
  castCharToCChar('é'),
  ', castCCharToChar(-23) =',
  castCCharToChar(-23),
);
console.log(
  'charIsRepresentable:',
  charIsRepresentable('€')(),
  charIsRepresentable('\0')(),
  charIsRepresentable('\uD800')(),
);
defaultHeap().check();
console.log('default heap: live blocks', defaultHeap().stats().liveBlocks);
