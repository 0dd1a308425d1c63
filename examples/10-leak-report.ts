// A leak report: every allocation of a program goes through a tracking interface, which names
// the line, file and function of each block still live.
//
// - `trackingInterface(base)` records each block it hands out with its size, its number and its
//   call site, and forgets it when it is freed; `leaks()` lists what is live, `report()` says it.
// - `contextWithInterface(ctx, iface)` makes a context whose every allocation (malloc, arrays,
//   strings, the alloca stack) goes through the interface; the hooks are told the user's line,
//   not the library's line inside `newArray` or `withCString`.
import { CDouble, CInt, Heap, contextOf, foreign, type Ptr } from 'foreign-ts';
import { contextWithInterface, heapInterface, trackingInterface } from 'foreign-ts/interface';

const heap = Heap.create();
const tracking = trackingInterface(heapInterface(heap));
const ctx = contextWithInterface(contextOf(heap), tracking);
const { free, newArray, newCString, mallocArray, peekCString, withCString, peekElemOff } =
  foreign(ctx);

interface Level {
  readonly name: Ptr<number>;
  readonly heights: Ptr<number>;
  readonly scratch: Ptr<number>;
}

const loadLevel = (title: string, heights: number[]): Level => ({
  name: newCString(title)(),
  heights: newArray(CDouble, heights)(),
  scratch: mallocArray(CInt, 64)(),
});

const unloadLevel = (level: Level): void => {
  free(level.name)();
  free(level.heights)(); // the scratch buffer is forgotten: the leak
};

const greet = (who: string): string => withCString(who, (s) => peekCString(s))();

for (const title of ['caves', 'tower', 'lake']) {
  const level = loadLevel(title, [1.5, 2.5, 4]);
  console.log(`${greet(title)}: height ${peekElemOff(CDouble, level.heights, 2)()}`);
  unloadLevel(level);
}

ctx.stack.dispose(); // the alloca stack gives its region back: what is left is the program's
console.log();
process.stdout.write(tracking.report({ basename: true }));

// The report's data: each leaked block, to assert on in a test.
const [first] = tracking.leaks();
console.log(
  `\nfirst leak: #${first!.seq}, ${first!.size} bytes, in ${first!.func}, line ${first!.line}`,
);

for (const block of tracking.leaks()) free(block.address as Ptr<unknown>)();
heap.check();
console.log(`after freeing them: ${tracking.report()}`.trimEnd());

// Not in the browser: its output names the lines of this file that allocated, which a bundle does not have (its stack traces name the bundle)
