/**
 * Storable instances and C struct layouts: a struct described once, its C layout (sizes,
 * offsets, padding), its inferred TypeScript type, poke and peek as IO programs, validation that
 * refuses values that do not fit, the unchecked and Either flavours, and the two data models.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  CDouble,
  CFloat,
  CInt,
  CUInt,
  Int16,
  Int32,
  MarshalError,
  Word64,
  Word8,
  array,
  bits,
  chars,
  either,
  enumeration,
  free,
  lp64,
  malloc,
  offsetOf,
  peek,
  poke,
  struct,
  unchecked,
  union,
  wasm32,
  type StorableOf,
} from 'foreign-ts';

// The Particle of the benchmark, described once. Field order is key order, as in C.
const Particle = struct(
  {
    kind: Word8,
    x: CDouble,
    y: CDouble,
    z: CDouble,
    mass: CFloat,
    id: Int32,
    flags: Word64,
    tag: array(Int16, 4),
  },
  'Particle',
);
type Particle = StorableOf<typeof Particle>; // inferred, like io-ts's TypeOf

console.log('sizeof(Particle) =', Particle.sizeOf, ', alignof =', Particle.alignment);
console.log(
  'offsetof x, mass, flags, tag =',
  offsetOf(Particle, 'x'),
  offsetOf(Particle, 'mass'),
  offsetOf(Particle, 'flags'),
  offsetOf(Particle, 'tag'),
);

// malloc, poke and peek are IO programs: nothing happens until they run.
const p = malloc(Particle)();
const particle: Particle = {
  kind: 3,
  x: 1.5,
  y: -2,
  z: 0.25,
  mass: 9.75,
  id: 42,
  flags: 2n ** 63n + 1n,
  tag: [1, 2, 3, 4],
};
const store = poke(Particle, p, particle);
store();
console.log('peek:', peek(Particle, p)());

// Values that do not fit are refused as a whole, naming the field; nothing is written.
for (const bad of [
  { ...particle, kind: 300 },
  { ...particle, id: '7' },
  { ...particle, tag: [1, 2, 3] },
]) {
  try {
    poke(Particle, p, bad as Particle)();
  } catch (error) {
    if (error instanceof MarshalError) console.log('refused:', error.message);
  }
}
console.log('unchanged:', peek(Particle, p)().kind);

// The Either flavour gives the error as data; the unchecked flavour skips validation.
const result = either.poke(Particle, p, { ...particle, flags: -1n })();
console.log('either:', E.isLeft(result) ? `Left(${result.left.path})` : 'Right');
unchecked.poke(Particle, p, { ...particle, id: 7 })();
console.log('unchecked poke, id =', peek(Particle, p)().id);
free(p)();

// Unions, bit-fields, enumerations and char[n] fields.
const Shape = enumeration(CInt, { CIRCLE: 0, SQUARE: 1 }, 'Shape');
const Item = struct(
  {
    shape: Shape,
    size: union({ side: CUInt, radius: CFloat }), // a value holds exactly one member
    visible: bits(CUInt, 1),
    layer: bits(CUInt, 4),
    name: chars(8),
  },
  'Item',
);
const q = malloc(Item)();
poke(Item, q, { shape: 'SQUARE', size: { side: 12 }, visible: 1, layer: 9, name: 'box' })();
console.log('Item:', Item.sizeOf, 'bytes,', JSON.stringify(peek(Item, q)()));
free(q)();

// The same declaration in the two data models: wasm32 (the default) and x86-64 (LP64).
for (const model of [wasm32, lp64]) {
  const Node = struct(
    { value: model.CLong, next: model.ptrTo<unknown>(), count: model.CSize },
    'Node',
  );
  console.log(
    `${model.name}: sizeof(struct Node) = ${Node.sizeOf}, offsetof(count) = ${offsetOf(Node, 'count')}`,
  );
}
