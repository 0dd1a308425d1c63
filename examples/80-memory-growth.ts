// Memory: the bytes under every heap, and views that stay valid when the memory grows.
//
// A `Memory` stands for an ArrayBuffer, a SharedArrayBuffer or a WebAssembly.Memory. Growing a
// WebAssembly memory detaches its old buffer, so code that kept a typed array from before the
// growth would read nothing. A `Memory` renews its views instead: ask it with `ensure` before
// touching bytes, and use the views it gives back.
import { Memory, MemoryBoundsError, PAGE_BYTES } from 'foreign-ts';

const memory = Memory.create({ initialBytes: PAGE_BYTES, maxBytes: 4 * PAGE_BYTES });
console.log(`created: ${memory.byteLength} bytes, up to ${memory.maxByteLength}`);

// Write a little-endian u32 near the end of the first page.
memory.views.dv.setUint32(PAGE_BYTES - 4, 0xc0ffee, true);

const before = memory.views;
console.log(`grow to 100000 bytes: ${memory.grow(100_000)}, now ${memory.byteLength} bytes`);
console.log(`old views still reach: ${before.u8.length} bytes (the old buffer was detached)`);

// `ensure` returns views that reach the requested bytes, renewing them if needed.
const v = memory.ensure(PAGE_BYTES - 4, 4);
console.log(`value kept across growth: 0x${v.dv.getUint32(PAGE_BYTES - 4, true).toString(16)}`);

// Past the maximum, growth is refused and the memory stays as it was.
console.log(`grow past the maximum: ${memory.grow(5 * PAGE_BYTES)}, still ${memory.byteLength}`);

// Reaching past the end is a typed error that names the call, not a silent `undefined`.
try {
  memory.ensure(memory.byteLength - 2, 4, 'example');
} catch (e) {
  if (!(e instanceof MemoryBoundsError)) throw e;
  console.log(`${e.name}: ${e.message}`);
}
