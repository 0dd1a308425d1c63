// Failure injection: the harness fails each allocation of a program in turn, and finds the
// cleanup bug that no ordinary run shows; once fixed, the program passes.
//
// - `oomTest(program, { contract })` runs the program once to count its allocation points, then
//   once per point with that allocation failing, and once with it and every later one failing
//   (SQLite's out-of-memory tests). After each run it checks that nothing leaked, that the heap
//   is consistent, and that the failure surfaced as the contract says: here `nullPtr`.
// - The program allocates through the context it is given (`foreign(ctx)`), as a library user's
//   code would through its own context.
import { CInt, foreign, newContext, nullPtr, type Ptr } from 'foreign-ts';
import { oomTest, type Context } from 'foreign-ts/interface';

/** A parsed record: its name as a C string and its fields as a C array. */
interface Parsed {
  readonly name: Ptr<number>;
  readonly fields: Ptr<number>;
}

/** Parses "name:1,2,3" into C memory; undefined when memory runs out (`fixed`: with the fix). */
function parseRecord(ctx: Context, text: string, fixed: boolean): Parsed | undefined {
  const { free, newArray, newCString } = foreign(ctx);
  const [name = '', rest = ''] = text.split(':');
  const cname = newCString(name)();
  if (cname === nullPtr) return undefined;
  const fields = newArray(CInt, rest.split(',').map(Number))();
  if (fields === nullPtr) {
    if (fixed) free(cname)(); // the fix: the first version returned without this
    return undefined;
  }
  return { name: cname, fields };
}

/** The program under test: parse two records, sum their fields, free everything. */
const program =
  (fixed: boolean) =>
  (ctx: Context): number => {
    const { free, peekArray } = foreign(ctx);
    const a = parseRecord(ctx, 'north:1,2,3', fixed);
    if (a === undefined) return nullPtr;
    const b = parseRecord(ctx, 'south:40,50', fixed);
    if (b === undefined) {
      free(a.name)();
      free(a.fields)();
      return nullPtr;
    }
    const sum = [...peekArray(CInt, 3, a.fields)(), ...peekArray(CInt, 2, b.fields)()].reduce(
      (x, y) => x + y,
    );
    for (const r of [a, b]) {
      free(r.name)();
      free(r.fields)();
    }
    return sum;
  };

console.log('an ordinary run of the first version: sum', program(false)(newContext()));

const first = await oomTest(program(false), { contract: 'nullPtr' });
console.log('\nthe first version:');
process.stdout.write(first.text({ basename: true }));

const fixed = await oomTest(program(true), { contract: 'nullPtr' });
console.log('\nwith the fix:');
process.stdout.write(fixed.text());

// Not in the browser: its output names the lines of this file that allocated, which a bundle does not have (its stack traces name the bundle)
