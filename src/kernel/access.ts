/**
 * Access to kernel memory through the kernel, checked as the MMU would check it: `copyin` and
 * `copyout` (between a JavaScript byte array, the "user" side, and kernel memory), `bcopy`,
 * `bzero` and `memset`. An access that touches an unmapped page — a memguard guard page or a
 * freed guarded block — or runs past the kernel's memory is a page fault: a KernelPanic
 * ("page fault") after FreeBSD's trap message. Nothing is written when it faults.
 */
import { toAddress, toSize } from './arguments.js';
import { type Kernel, kernelArg } from './kernel.js';
import { checkAccess } from './memguard.js';

const bytesArg = (call: string, name: string, bytes: unknown): Uint8Array => {
  if (bytes instanceof Uint8Array) return bytes;
  throw new TypeError(`${call}: ${name} must be a Uint8Array`);
};

/**
 * Copies `len` bytes (default: all of `uaddr`) from the byte array `uaddr` into kernel memory at
 * `kaddr` (`copyin(9)`). Returns 0. Throws a `RangeError` when `len` is longer than `uaddr`.
 *
 * @category access
 * @since 0.1.0
 */
export const copyin = (kernel: Kernel, uaddr: Uint8Array, kaddr: number, len?: number): number => {
  const call = 'copyin';
  const k = kernelArg(call, kernel);
  k.writable(call);
  const src = bytesArg(call, 'uaddr', uaddr);
  const at = toAddress(call, kaddr);
  const n = len === undefined ? src.length : toSize(call, 'len', len);
  if (n > src.length)
    throw new RangeError(`${call}: len ${n} is longer than uaddr (${src.length} bytes)`);
  checkAccess(k, call, at, n);
  k.u8.set(src.subarray(0, n), at);
  return 0;
};

/**
 * Copies `len` bytes of kernel memory at `kaddr` into the byte array `uaddr` (`copyout(9)`), or
 * into a new array when `uaddr` is a length. Returns the array.
 *
 * @category access
 * @since 0.1.0
 */
export const copyout = (
  kernel: Kernel,
  kaddr: number,
  uaddr: Uint8Array | number,
  len?: number,
): Uint8Array => {
  const call = 'copyout';
  const k = kernelArg(call, kernel);
  const at = toAddress(call, kaddr);
  const dst =
    typeof uaddr === 'number'
      ? new Uint8Array(toSize(call, 'length', uaddr))
      : bytesArg(call, 'uaddr', uaddr);
  const n = len === undefined ? dst.length : toSize(call, 'len', len);
  if (n > dst.length)
    throw new RangeError(`${call}: len ${n} is longer than uaddr (${dst.length} bytes)`);
  checkAccess(k, call, at, n);
  dst.set(k.u8.subarray(at, at + n));
  return dst;
};

/**
 * Copies `len` bytes from `src` to `dst` in kernel memory (`bcopy(9)`: overlapping ranges are
 * copied as if through a buffer).
 *
 * @category access
 * @since 0.1.0
 */
export const bcopy = (kernel: Kernel, src: number, dst: number, len: number): void => {
  const call = 'bcopy';
  const k = kernelArg(call, kernel);
  k.writable(call);
  const from = toAddress(call, src);
  const to = toAddress(call, dst);
  const n = toSize(call, 'len', len);
  checkAccess(k, call, from, n);
  checkAccess(k, call, to, n);
  k.u8.copyWithin(to, from, from + n);
};

/**
 * Writes `len` copies of the byte `c` at `addr` (`memset(9)`).
 *
 * @category access
 * @since 0.1.0
 */
export const memset = (kernel: Kernel, addr: number, c: number, len: number): void => {
  const call = 'memset';
  const k = kernelArg(call, kernel);
  k.writable(call);
  const at = toAddress(call, addr);
  const n = toSize(call, 'len', len);
  checkAccess(k, call, at, n);
  k.u8.fill(c & 0xff, at, at + n);
};

/**
 * Zeroes `len` bytes at `addr` (`bzero(9)`).
 *
 * @category access
 * @since 0.1.0
 */
export const bzero = (kernel: Kernel, addr: number, len: number): void =>
  memset(kernel, addr, 0, len);

/**
 * The memory domain the kernel address `addr` belongs to (`vm_phys_domain`), or −1 for an
 * address outside every domain (the kernel's own state, the memguard arena).
 *
 * @category access
 * @since 0.1.0
 */
export const vm_phys_domain = (kernel: Kernel, addr: number): number => {
  const k = kernelArg('vm_phys_domain', kernel);
  const at = toAddress('vm_phys_domain', addr);
  for (let d = 0; d < k.ndomains; d++) {
    const base = k.heaps[d]!.base;
    if (at >= base && at < base + k.domainBytes) return d;
  }
  return -1;
};
