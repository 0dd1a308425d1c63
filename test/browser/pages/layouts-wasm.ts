/**
 * The layout corpus of c/layouts/layouts.c against its C code, in the browser: the committed
 * module c/build/layouts.wasm (an asset of this page) is fetched and instantiated, and for every
 * type of the corpus the built package pokes the values C's fill_T stores into the module's
 * memory (through `Memory.from(exports.memory)`), C's sum_T reads and checksums every member,
 * and C's fill_T writes the values that the package then peeks.
 *
 * This is the pattern of the WebAssembly FFI pages to come (issue 13): a page with the `.wasm`
 * it needs among its assets (scripts/lib/browser-pages.ts), instantiating it and calling C.
 */
import { Memory, peekPoke, wasm32, wordPtrToPtr, type Storable } from 'foreign-ts';
import { cFills, cTypes } from '../../foreign/helpers/c-types.js';
import { checksum, checksumHex } from '../../foreign/helpers/checksum.js';
import { report, toJson } from '../report.js';

/** Deep equality, numbers by Object.is (so -0 is not 0). */
const same = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
};

const run = async (): Promise<void> => {
  const { instance } = await WebAssembly.instantiate(
    await (await fetch('layouts.wasm')).arrayBuffer(),
    {},
  );
  const exports = instance.exports as Record<string, any>;
  const memory = exports.memory as WebAssembly.Memory;
  const at = memory.grow(1) * 65536;
  const { peek, poke } = peekPoke(Memory.from(memory));
  const types = cTypes(wasm32) as Record<string, Storable<any>>;
  const fills = cFills(wasm32);
  const problems: string[] = [];
  for (const [name, S] of Object.entries(types)) {
    const value = fills[name];
    poke(S, wordPtrToPtr(at), value)();
    const c = BigInt.asUintN(64, exports[`sum_${name}`](at) as bigint);
    if (c !== checksum(S, value)) {
      problems.push(
        `${name}: C's checksum ${checksumHex(c)}, expected ${checksumHex(checksum(S, value))}`,
      );
    }
    exports[`fill_${name}`](at + 4096);
    const got = peek(S, wordPtrToPtr(at + 4096))();
    if (!same(got, value)) problems.push(`${name}: peeked ${toJson(got)} after fill_${name}`);
  }
  report(
    { types: Object.keys(types).length, problems },
    `${Object.keys(types).length} types: C checksummed what the package poked and the package peeked what C stored; ${problems.length} problems\n${problems.join('\n')}`,
  );
};

void run();
