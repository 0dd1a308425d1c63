/** Shared helpers of the kernel tests. */
import {
  boot,
  check,
  KernelPanic,
  memstat_malloc,
  memstat_uma,
  type BootOptions,
  type Kernel,
  type MallocType,
} from 'foreign-ts/kernel';
import { expect } from 'vitest';
import { thrown } from '../support/thrown.js';

/** A kernel whose printf lines are collected in `out`. */
export const kernel = (options: BootOptions = {}): { k: Kernel; out: string[] } => {
  const out: string[] = [];
  const k = boot({ printf: (text) => out.push(text), ...options });
  return { k, out };
};

/** The statistics of `type` now. */
export const statsOf = (type: MallocType) => {
  const s = memstat_malloc(type.kernel).find((t) => t.name === type.ks_shortdesc);
  if (s === undefined) throw new Error(`no statistics for ${type.ks_shortdesc}`);
  return s;
};

/** The statistics of the zone named `name`. */
export const zoneStats = (k: Kernel, name: string) => {
  const s = memstat_uma(k).find((z) => z.name === name);
  if (s === undefined) throw new Error(`no zone ${name}`);
  return s;
};

/** Everything the statistics show, for "unchanged after an error" checks. */
export const snapshot = (k: Kernel) =>
  JSON.stringify({
    m: memstat_malloc(k).map((t) => ({ ...t, count: String(t.count), bytes: String(t.bytes) })),
    z: memstat_uma(k),
  });

/** Expects `f` to panic with exactly `panicstr`; then the kernel checks and its statistics are unchanged. */
export const expectPanic = (
  k: Kernel,
  f: () => unknown,
  panicstr: string | RegExp,
  call?: string,
): KernelPanic => {
  const before = snapshot(k);
  const error = thrown(f);
  expect(error).toBeInstanceOf(KernelPanic);
  const p = error as KernelPanic;
  if (typeof panicstr === 'string') expect(p.panicstr).toBe(panicstr);
  else expect(p.panicstr).toMatch(panicstr);
  if (call !== undefined) expect(p.message.startsWith(`${call}: `)).toBe(true);
  check(k);
  expect(snapshot(k)).toBe(before);
  return p;
};

/** `%p` of an address. */
export const p = (addr: number): string => (addr === 0 ? '0' : `0x${addr.toString(16)}`);
