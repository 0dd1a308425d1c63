// C bindings generated from a header: `npx foreign-ts bind` wrote c/build/shapes.wasm32.ts from
// c/examples/shapes.h (committed; `npm run build:c` writes it again), and this example calls the
// C functions of c/examples/shapes.c (c/build/example-shapes.wasm, wasm32-wasi) through it:
//
//   npx foreign-ts bind c/examples/shapes.h --model wasm32 --chars --out c/build/shapes.wasm32.ts
//
// The module has the layouts (`shape`, `vec2`, checked against clang), the constants and enum
// tags, and `foreignImports(ctx)`: a foreignImport declaration of each function, with the
// argument and result types of its C signature. See docs/bindings.md.
import { readFileSync } from 'node:fs';
import { AllocationError, nullPtr, plusPtr } from 'foreign-ts';
import { wasiStubs, wasmContext } from 'foreign-ts/wasm';
import {
  SHAPES_MAX_POINTS,
  SHAPE_POLYGON,
  SHAPE_RECT,
  foreignImports,
  functions,
  shape,
  vec2,
} from '../c/build/shapes.wasm32.js';

const wasm = new WebAssembly.Module(
  readFileSync(new URL('../c/build/example-shapes.wasm', import.meta.url)),
);
const ctx = wasmContext(new WebAssembly.Instance(wasm, wasiStubs(wasm)));
const { shape_rect, shape_area, shape_translate, shape_find } = foreignImports(ctx);
const { mallocArray, peek, poke, free } = ctx.foreign;

console.log(`sizeof(shape) = ${shape.sizeOf}, sizeof(vec2) = ${vec2.sizeOf}`);
for (const f of [shape_rect, shape_area, shape_translate, shape_find])
  console.log(`  ${f.cName}: ${functions[f.cName as keyof typeof functions].c}`);

// Two shapes in the module's memory: a rectangle made by C, a polygon poked from TypeScript.
// mallocArray gives nullPtr when the module's malloc has no memory: C must not be handed NULL.
// The array is given back in `finally`, whatever happens.
const shapes = mallocArray(shape, 2)();
if (shapes === nullPtr) throw new AllocationError('mallocArray', 2 * shape.sizeOf);
try {
  const triangle = plusPtr<shape>(shapes, shape.sizeOf);

  console.log(`shape_rect("door", 0.9, 2) = ${shape_rect(shapes, 'door', 0.9, 2)()}`);
  const points = [
    { x: 0, y: 0 },
    { x: 4, y: 0 },
    { x: 0, y: 3 },
  ];
  const empty = { x: 0, y: 0 };
  poke(shape, triangle, {
    kind: SHAPE_POLYGON,
    name: 'triangle',
    origin: { x: 1, y: 1 },
    radius: 0,
    npoints: points.length,
    points: [...points, ...Array.from({ length: SHAPES_MAX_POINTS - points.length }, () => empty)],
  })();

  shape_translate(shapes, 10, -2.5)();
  for (const at of [shapes, triangle]) {
    const s = peek(shape, at)();
    const kind = s.kind === SHAPE_RECT ? 'rect' : 'polygon';
    console.log(`${s.name} (${kind}) at (${s.origin.x}, ${s.origin.y}): area ${shape_area(at)()}`);
  }
  console.log(`shape_find("triangle") = ${shape_find(shapes, 2, 'triangle')()}`);
  console.log(`shape_find("window") = ${shape_find(shapes, 2, 'window')()} (not found: n)`);

  // C refuses a name of 16 bytes (the field is char[16]); the declarations refuse bad calls (here
  // from untyped JavaScript: TypeScript refuses it already), naming the C function.
  console.log(
    `shape_rect("a name far too long") = ${shape_rect(shapes, 'a name far too long', 1, 1)()}`,
  );
  try {
    (shape_area as (...xs: unknown[]) => unknown)(shapes, 1);
  } catch (e) {
    console.log(`refused: ${(e as Error).message}`);
  }
} finally {
  free(shapes)();
}
console.log(
  'shape_centroid returns a vec2 by value: the module declares no import of it, and says why',
);
