// Type-checked by scripts/smoke-pack.sh under the consumer configurations whose lib has
// ESNext.Disposable, then compiled and run in plain Node: `using` and `await using` on the
// published scoped values and pools and on the area module, which must be Disposable and AsyncDisposable to the
// consumer's TypeScript and release their memory when the block ends.
import { CInt, defaultHeap, newPool, peek, scoped } from 'foreign-ts';
import { B_AREA_MALLOC_MODULE_NAME, B_ERROR, get_module, put_module } from 'foreign-ts/area';

// No Node types and perhaps no DOM in these configurations: what the file needs of the host.
declare const console: { log(message: string): void };
const assert = {
  equal(actual: unknown, expected: unknown, what = 'value'): void {
    if (actual !== expected) throw new Error(`${what}: ${String(actual)} !== ${String(expected)}`);
  },
};

const live = (): number => defaultHeap().stats().liveBlocks;
const before = live();

{
  using cell = scoped.new(CInt, 42);
  using pool = newPool()();
  const asDisposable: Disposable = pool;
  void asDisposable;
  assert.equal(peek(CInt, cell.ptr)(), 42);
  assert.equal(live(), before + 1);
}
assert.equal(live(), before, 'using released the scoped value');

{
  await using pool = scoped.pool();
  const asAsync: AsyncDisposable = pool;
  void asAsync;
  await Promise.resolve();
}
assert.equal(live(), before, 'await using released the pool');
{
  using area = get_module(B_AREA_MALLOC_MODULE_NAME);
  const asDisposable: Disposable | null = area;
  void asDisposable;
}
assert.equal(put_module(B_AREA_MALLOC_MODULE_NAME), B_ERROR, 'using put the area module away');
defaultHeap().check();
console.log('using and await using: ok');
