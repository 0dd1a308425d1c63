/**
 * The layout workload of the three layout-compiler pages (layouts-codegen, layouts-csp,
 * layouts-csp-interpreter): the same structs, unions, bit-fields, enums, strings and arrays,
 * poked into a heap with the same values, peeked back, their bytes and values reported, and
 * bad values refused the same way. The runner checks that the three pages give identical
 * results, whichever compiler each one used.
 *
 * It also counts the `securitypolicyviolation` events the page receives: after the workload it
 * runs one `eval` of its own (the sentinel, which a page under a CSP without 'unsafe-eval' must
 * refuse, with a report), waits for that event, and reports every event before it.
 */
import {
  CDouble,
  CInt,
  Int16,
  Int64,
  Word8,
  Word64,
  array,
  bits,
  chars,
  codegenAvailable,
  compileLayout,
  enumeration,
  getLayoutCompiler,
  free,
  mallocArray,
  packed,
  peekElemOff,
  pokeElemOff,
  struct,
  union,
  unnamedBits,
  defaultHeap,
} from 'foreign-ts';
import { report } from '../report.js';

const violations: Array<{ directive: string; blocked: string; sample: string }> = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});

const SENTINEL = '/* sentinel */ 0';

/** Runs the sentinel eval and resolves when its violation event (if any) has arrived. */
const afterSentinel = async (): Promise<boolean> => {
  let refused = false;
  try {
    (0, eval)(SENTINEL);
  } catch {
    refused = true;
  }
  if (!refused) return false;
  while (!violations.some((v) => v.sample.includes('sentinel'))) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
};

export const runWorkload = async (page: string): Promise<void> => {
  const Color = enumeration(CInt, { RED: 0, GREEN: 5, BLUE: -1 }, 'Color');
  const Particle = struct(
    {
      kind: Word8,
      x: CDouble,
      flags: Word64,
      tag: array(Int16, 4),
      color: Color,
      name: chars(8, { terminated: true }),
    },
    'Particle',
  );
  const Flags = struct(
    { a: bits(CInt, 3), _: unnamedBits(CInt, 0), b: bits(CInt, 20), big: bits(Int64, 40) },
    'Flags',
  );
  const Num = union({ i: CInt, d: CDouble }, 'Num');
  const Packed = packed({ c: Word8, p: Particle, n: Num, f: Flags }, 'Packed');
  const values = [
    {
      c: 1,
      p: { kind: 7, x: -0.5, flags: 2n ** 63n, tag: [1, -2, 3, -4], color: 'BLUE', name: 'grüße' },
      n: { d: 1.5 },
      f: { a: -4, b: 524287, big: -(2n ** 39n) },
    },
    {
      c: 255,
      p: { kind: 0, x: 1e300, flags: 0n, tag: [0, 0, 0, 32767], color: 'GREEN', name: '' },
      n: { i: -1 },
      f: { a: 3, b: -1, big: 1n },
    },
  ] as const;
  const p = mallocArray(Packed, values.length)();
  const bytes: string[] = [];
  const peeked: unknown[] = [];
  values.forEach((v, i) => {
    pokeElemOff(Packed, p, i, v as never)();
    peeked.push(peekElemOff(Packed, p, i)());
  });
  const u8 = defaultHeap().memory.views.u8;
  for (let i = p; i < p + Packed.sizeOf * values.length; i++)
    bytes.push(u8[i]!.toString(16).padStart(2, '0'));
  const refusals: string[] = [];
  for (const bad of [
    { ...values[0], c: 256 },
    { ...values[0], f: { a: 4, b: 0, big: 0n } },
    { ...values[0], p: { ...values[0].p, name: 'too long a name' } },
  ]) {
    try {
      pokeElemOff(Packed, p, 0, bad as never)();
      refusals.push('accepted');
    } catch (e) {
      refusals.push(`${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  free(p)();
  const generated = compileLayout(Packed).source !== undefined;
  const sentinelRefused = await afterSentinel();
  const sentinelIndex = violations.findIndex((v) => v.sample.includes('sentinel'));
  report({
    page,
    setting: getLayoutCompiler(),
    codegenAvailable: codegenAvailable(),
    generated,
    size: Packed.sizeOf,
    bytes: bytes.join(''),
    peeked,
    refusals,
    sentinelRefused,
    violationsBeforeSentinel: sentinelIndex < 0 ? violations : violations.slice(0, sentinelIndex),
  });
};
