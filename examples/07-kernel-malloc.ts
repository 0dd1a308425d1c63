// FreeBSD's kernel malloc(9): malloc types, flags, size classes, panics, and vmstat -m / -z.
//
// - `boot()` makes a kernel: memory domains (each a heap), the malloc zones and the types
//   kern_malloc.c defines (`M_TEMP` is `MALLOC_DECLARE(kernel, 'temp')`).
// - `malloc(size, type, flags)` takes its kernel from the type, rounds the size up to a zone
//   (16, 32, 64, 128, 256, 384, 512, 1024 … 65536 bytes) or to whole pages above 64 KiB, and
//   charges the type: `vmstat -m` shows it, in FreeBSD's own layout.
// - FreeBSD's misuse stops are `KernelPanic`s with FreeBSD's messages; the kernel stays whole.
import {
  KernelPanic,
  MALLOC_DECLARE,
  MALLOC_DEFINE,
  M_NOWAIT,
  M_WAITOK,
  M_ZERO,
  boot,
  check,
  free,
  malloc,
  malloc_usable_size,
  mallocarray,
  realloc,
  vmstat,
  zfree,
} from 'foreign-ts/kernel';

const kernel = boot();
const M_TEMP = MALLOC_DECLARE(kernel, 'temp');
const M_BIGBUF = MALLOC_DEFINE(kernel, 'bigbuf', 'big buffers');
const M_FOOBUF = MALLOC_DEFINE(kernel, 'foobuf', 'foo buffers');

console.log('size classes:');
for (const n of [0, 24, 100, 300, 5000, 100000]) {
  const p = malloc(n, M_TEMP, M_WAITOK);
  const aligned = p % 4096 === 0 ? ', page-aligned' : '';
  console.log(`  malloc(${n}) -> ${malloc_usable_size(kernel, p)} usable bytes${aligned}`);
  free(p, M_TEMP);
}

// Three foo buffers and one larger one; one goes back.
const foo = [24, 24, 24, 100].map((n) => malloc(n, M_FOOBUF, M_WAITOK | M_ZERO));
console.log(
  `\nM_ZERO: ${kernel.u8.subarray(foo[0]!, foo[0]! + 32).every((b) => b === 0) ? 'all 32 bytes zero' : 'not zero'}`,
);
zfree(foo.shift()!, M_FOOBUF); // zeroes the whole item, then frees it

// realloc keeps the block while the new size is more than half its size class.
const grown = realloc(foo[2]!, 120, M_FOOBUF, M_WAITOK);
console.log(`realloc(100-byte block, 120) ${grown === foo[2] ? 'stays in place' : 'moves'}`);

// A big buffer takes whole pages; M_NOWAIT may return NULL (0), M_WAITOK never does.
const big = malloc(100000, M_BIGBUF, M_NOWAIT);
malloc(0, M_BIGBUF, M_WAITOK);
console.log(
  `malloc(100000, M_NOWAIT) -> ${big === 0 ? 'NULL' : `${malloc_usable_size(kernel, big)} bytes`}`,
);

// What FreeBSD panics on, this library throws, with FreeBSD's message.
for (const misuse of [
  () => mallocarray(2 ** 32, 2 ** 32, M_TEMP, M_NOWAIT),
  () => free(foo[0]! + 8, M_FOOBUF),
  () => free(kernel.heaps[0]!.base + 0x100000, M_TEMP),
]) {
  try {
    misuse();
  } catch (error) {
    console.log(`KernelPanic: ${(error as KernelPanic).panicstr.trimEnd()}`);
  }
}
check(kernel); // every heap, zone, slab, bucket and counter still adds up

console.log('\n$ vmstat -m');
process.stdout.write(vmstat(kernel, '-m'));
console.log('\n$ vmstat -z');
process.stdout.write(vmstat(kernel, '-z'));
