// Run by scripts/smoke-pack.sh in an empty project where the packed foreign-ts is installed:
// plain Node, no tsx, no TypeScript. Imports every entry point of the exports map and uses a heap.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as IO from 'fp-ts/lib/IO.js';
import { pipe } from 'fp-ts/lib/function.js';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(require.resolve('foreign-ts/package.json'), 'utf8'));

for (const subpath of Object.keys(pkg.exports)) {
  if (subpath.endsWith('.json')) continue;
  const specifier = subpath === '.' ? 'foreign-ts' : `foreign-ts/${subpath.slice(2)}`;
  const module = await import(specifier);
  const names = Object.keys(module);
  assert.ok(names.length > 0, `${specifier} exports nothing`);
  console.log(`import '${specifier}': ${names.length} exports`);
}

const root = await import('foreign-ts');
const { Heap } = await import('foreign-ts/heap');
assert.equal(root.Heap, Heap, 'foreign-ts and foreign-ts/heap export the same Heap');

for (const shared of [false, true]) {
  const heap = Heap.create({ shared });
  const p = heap.malloc(100);
  assert.ok(p > 0 && p % 8 === 0, `malloc(100) returned ${p}`);
  heap.memory.views.u8.fill(0xab, p, p + 100);
  const q = heap.realloc(p, 5000);
  assert.ok(q > 0, 'realloc(p, 5000) failed');
  assert.equal(heap.memory.ensure(q, 100).u8[q + 99], 0xab, 'realloc kept the bytes');
  heap.free(q);
  heap.check();
  const stats = heap.stats();
  assert.equal(stats.liveBlocks, 0);
  console.log(`heap (${shared ? 'shared' : 'not shared'}): malloc, realloc, free, check ok`);
}

// The kernel personality in plain Node: a shared kernel, a type, malloc/free, vmstat, check.
{
  const kernel = await import('foreign-ts/kernel');
  const k = kernel.boot({ shared: true });
  const type = kernel.MALLOC_DEFINE(k, 'smoke', 'smoke test');
  const p = kernel.malloc(100, type, kernel.M_WAITOK);
  assert.equal(kernel.malloc_usable_size(k, p), 128, 'malloc(100) is a 128-byte item');
  kernel.free(p, type);
  assert.match(kernel.vmstat(k, '-m'), /smoke {5}0 {5}0K {8}1 {2}128/);
  kernel.check(k);
  console.log('kernel: boot, malloc, free, vmstat, check ok');
}

// Allegro's memory interface in plain Node: a counting interface over the default heap.
{
  const mi = await import('foreign-ts/interface');
  const counting = mi.countingInterface(mi.heapInterface(root.defaultHeap()));
  mi.al_set_memory_interface(counting);
  const p = mi.al_malloc(24);
  assert.ok(p > 0, `al_malloc(24) returned ${p}`);
  mi.al_free(p);
  mi.al_set_memory_interface(null);
  assert.equal(counting.counts().live, 0);
  root.defaultHeap().check();
  console.log('interface: al_malloc, al_free through a counting interface ok');
}

// fp-ts resolved from foreign-ts's runtime dependencies, by file, in plain Node.
const program = pipe(
  IO.of(20),
  IO.map((n) => n + 22),
);
assert.equal(program(), 42);
console.log('fp-ts/lib/IO.js: ok');
