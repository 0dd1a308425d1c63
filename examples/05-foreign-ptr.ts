// ForeignPtr: memory released by its finalizers, run explicitly, at shutdown, or by the garbage collector.
//
// A `ForeignPtr` is an object wrapping an address, with finalizers that run once, the latest
// added first. `finalizeForeignPtr` runs them now; `shutdown()` runs every pending one (GHC runs
// C finalizers at exit); the garbage collector runs them some time after the ForeignPtr becomes
// unreachable, with no promise of when. This program is deterministic: it never waits for the
// collector (a FinalizationRegistry calls back in a later task, and this program never yields
// before its shutdown).
import {
  CInt,
  addForeignPtrFinalizer,
  concurrent,
  defaultHeap,
  finalizeForeignPtr,
  finalizerFree,
  mallocBytes,
  mallocForeignPtrArray,
  newForeignPtr,
  peek,
  peekArray,
  pendingFinalizers,
  plusForeignPtr,
  poke,
  pokeArray,
  shutdown,
  withForeignPtr,
  type FinalizerPtr,
  type Ptr,
} from 'foreign-ts';

const live = () => defaultHeap().stats().liveBlocks;

// A finalizer (a FinalizerPtr: it releases memory, and here says so).
const say = (name: string): FinalizerPtr<number> => ({
  name,
  finalize: (address) => console.log(`  finalizer ${name}(${address})`),
});

console.log('1. newForeignPtr(finalizerFree, p): the block is freed by the finalizer');
const p = mallocBytes<number>(16)();
const fp = newForeignPtr(finalizerFree, p)();
withForeignPtr(fp, (q) => poke(CInt, q, 42))();
console.log(`  ${fp} holds ${withForeignPtr(fp, (q) => peek(CInt, q))()}; ${live()} live block`);

console.log('2. more finalizers run first (latest added first), all with the original address');
addForeignPtrFinalizer(say('second'), fp)();
const inner = plusForeignPtr<number>(fp, 8); // shares fp's finalizers
addForeignPtrFinalizer(say('third'), inner)();
withForeignPtr(inner, (q: Ptr<number>) => () => console.log(`  inner points at ${q} = ${p} + 8`))();
finalizeForeignPtr(inner)();
console.log(`  after finalizeForeignPtr: ${live()} live blocks, ${pendingFinalizers()()} pending`);
finalizeForeignPtr(fp)(); // once only: this does nothing
try {
  withForeignPtr(fp, () => () => undefined)();
} catch (error) {
  console.log(`  using it afterwards: ${(error as Error).message}`);
}

console.log('3. mallocForeignPtrArray: room for n values, freed by its finalizer');
const arr = mallocForeignPtrArray(CInt, 4)();
withForeignPtr(arr, (q) => pokeArray(CInt, q, [1, 2, 3, 4]))();
console.log(`  ${JSON.stringify(withForeignPtr(arr, (q) => peekArray(CInt, 4, q))())}`);
finalizeForeignPtr(arr)();

console.log('4. Foreign.Concurrent: JavaScript finalizers, also latest first');
const block = mallocBytes<number>(32)();
const js = concurrent.newForeignPtr(block, () => {
  console.log('  JavaScript finalizer: free the block');
  finalizerFree.finalize(block);
})();
concurrent.addForeignPtrFinalizer(js, () => console.log('  JavaScript finalizer: log first'))();
finalizeForeignPtr(js)();

console.log(
  '5. dropped ForeignPtrs: the collector would finalize them, some day; shutdown does it now',
);
const make = (name: string): void => {
  const dropped = newForeignPtr(say(name), mallocBytes<number>(8)())();
  addForeignPtrFinalizer(finalizerFree, dropped)(); // runs before say(name): latest first
};
make('a');
make('b');
make('c');
console.log(`  unreachable, not finalized yet: ${pendingFinalizers()()} pending, ${live()} live`);
shutdown()(); // the oldest made first, as GHC at exit
console.log(`  after shutdown: ${pendingFinalizers()()} pending, ${live()} live`);

defaultHeap().check();
