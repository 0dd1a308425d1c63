// Porting an hsc2hs binding: zlib's z_stream with field access and a hand-written instance, and SDL's events as a tagged union.
//
// A Haskell binding of zlib writes `#{poke z_stream, next_in} p buf` and `#{peek z_stream,
// avail_out} p`, and models only the fields it needs in a record with its own `instance
// Storable`. A binding of SDL2 models `SDL_Event`, a union of structs that begin with the same
// `Uint32 type`, as a sum type whose `peek` dispatches on the tag. Here: the same struct laid out
// from zlib.h for both data models, `pokeField`/`peekField` for the hsc2hs macros, `storable()`
// for the hand-written instance (which reads whatever memory it is used in), and `taggedUnion`
// for the events, whose TypeScript type is a discriminated union. See docs/porting.md.
import {
  CInt,
  Heap,
  MarshalError,
  Word8,
  advancePtr,
  callocBytes,
  castPtr,
  fieldOffset,
  foreign,
  free,
  lp64,
  peek,
  peekElemOff,
  peekField,
  pokeArray,
  pokeField,
  sizeOf,
  storable,
  struct,
  taggedUnion,
  wasm32,
  type DataModel,
  type Ptr,
  type StorableOf,
} from 'foreign-ts';

// ---------------------------------------------------------------------------------------------
// zlib.h: typedef struct z_stream_s { … } z_stream;

const zStream = <W extends number | bigint>(m: DataModel<W>) =>
  struct(
    {
      next_in: m.Ptr, // z_const Bytef *next_in;   next input byte
      avail_in: m.CUInt, // uInt avail_in;        number of bytes available at next_in
      total_in: m.CULong, // uLong total_in;      total number of input bytes read so far
      next_out: m.Ptr, // Bytef *next_out;        next output byte will go here
      avail_out: m.CUInt, // uInt avail_out;      remaining free space at next_out
      total_out: m.CULong, // uLong total_out;    total number of bytes output so far
      msg: m.Ptr, // z_const char *msg;           last error message, NULL if no error
      state: m.Ptr, // struct internal_state FAR *state;
      zalloc: m.FunPtr, // alloc_func zalloc;
      zfree: m.FunPtr, // free_func zfree;
      opaque: m.Ptr, // voidpf opaque;
      data_type: m.CInt, // int data_type;
      adler: m.CULong, // uLong adler;
      reserved: m.CULong, // uLong reserved;
    },
    'z_stream',
  );
const ZStream = zStream(wasm32);
type ZStream = StorableOf<typeof ZStream>;

console.log('1. z_stream, as hsc2hs would see it');
const ZStream64 = zStream(lp64);
const layout = (model: string, size: number, availOut: number, adler: number): void =>
  console.log(
    `  ${model}: #{size z_stream} = ${size}, #{offset z_stream, avail_out} = ${availOut}, ` +
      `#{offset z_stream, adler} = ${adler}`,
  );
layout('wasm32', sizeOf(ZStream), fieldOffset(ZStream, 'avail_out'), fieldOffset(ZStream, 'adler'));
layout(
  'lp64',
  sizeOf(ZStream64),
  fieldOffset(ZStream64, 'avail_out'),
  fieldOffset(ZStream64, 'adler'),
);

// The hsc2hs macros, made once.
const setNextIn = pokeField(ZStream, 'next_in');
const setAvailIn = pokeField(ZStream, 'avail_in');
const setNextOut = pokeField(ZStream, 'next_out');
const setAvailOut = pokeField(ZStream, 'avail_out');
const availOut = peekField(ZStream, 'avail_out');

console.log('2. setting up a stream with #poke, reading it back with #peek');
// The stream and its buffers, given back in `finally` whatever happens (as a C caller's
// cleanup label would; free(nullPtr) does nothing).
const strm = callocBytes(sizeOf(ZStream))() as Ptr<ZStream>;
const input = callocBytes(64)();
const output = callocBytes(256)();
try {
  setNextIn(strm, input)();
  setAvailIn(strm, 64)();
  setNextOut(strm, output)();
  setAvailOut(strm, 256)();
  // What deflate() would do to the counters after consuming 40 bytes and writing 17:
  pokeField(ZStream, 'avail_in')(strm, 24)();
  pokeField(ZStream, 'total_in')(strm, 40)();
  pokeField(ZStream, 'avail_out')(strm, 256 - 17)();
  pokeField(ZStream, 'total_out')(strm, 17)();
  console.log(`  avail_out = ${availOut(strm)()}, msg = ${peekField(ZStream, 'msg')(strm)()}`);

  // ---------------------------------------------------------------------------------------------
  // The binding's record: the fields it models, with its own instance Storable.

  interface Progress {
    consumed: number;
    produced: number;
    room: number;
  }

  const Progress = storable<Progress>({
    name: 'Progress',
    sizeOf: sizeOf(ZStream),
    alignment: ZStream.alignment,
    peek: (p, m) => () => ({
      consumed: m.peekField(ZStream, 'total_in')(p)(),
      produced: m.peekField(ZStream, 'total_out')(p)(),
      room: m.peekField(ZStream, 'avail_out')(p)(),
    }),
    poke: (p, v, m) => () => {
      m.pokeField(ZStream, 'total_in')(p, v.consumed)();
      m.pokeField(ZStream, 'total_out')(p, v.produced)();
      m.pokeField(ZStream, 'avail_out')(p, v.room)();
    },
  });

  console.log('3. a hand-written instance over the same bytes');
  const progress = peek(Progress, castPtr<Progress>(strm))();
  console.log(`  ${JSON.stringify(progress)}`);

  // The same instance in a heap of its own: its programs read the memory they are run on.
  const elsewhere = foreign(Heap.create());
  const copy = elsewhere.new(Progress, { consumed: 1, produced: 2, room: 3 })();
  console.log(
    `  in another heap: ${JSON.stringify(elsewhere.peek(Progress, copy)())}, ` +
      `avail_out there = ${elsewhere.peekField(ZStream, 'avail_out')(copy)()}`,
  );
  elsewhere.free(copy)();
} finally {
  free(output)();
  free(input)();
  free(strm)();
}

// ---------------------------------------------------------------------------------------------
// SDL_events.h: typedef union SDL_Event { Uint32 type; SDL_CommonEvent common; … } SDL_Event;

const Uint32 = wasm32.CUInt;
const Sint32 = CInt;
const QuitEvent = struct({ type: Uint32, timestamp: Uint32 }, 'SDL_QuitEvent');
const WindowEvent = struct(
  {
    type: Uint32,
    timestamp: Uint32,
    windowID: Uint32,
    event: Word8,
    padding1: Word8,
    padding2: Word8,
    padding3: Word8,
    data1: Sint32,
    data2: Sint32,
  },
  'SDL_WindowEvent',
);
const Keysym = struct(
  { scancode: Sint32, sym: Sint32, mod: wasm32.CUShort, unused: Uint32 },
  'SDL_Keysym',
);
const KeyboardEvent = struct(
  {
    type: Uint32,
    timestamp: Uint32,
    windowID: Uint32,
    state: Word8,
    repeat: Word8,
    padding2: Word8,
    padding3: Word8,
    keysym: Keysym,
  },
  'SDL_KeyboardEvent',
);
const SDL_Event = taggedUnion(
  'type',
  {
    SDL_QUIT: [0x100, QuitEvent],
    SDL_WINDOWEVENT: [0x200, WindowEvent],
    SDL_KEYDOWN: [0x300, KeyboardEvent],
    SDL_KEYUP: [0x301, KeyboardEvent],
  },
  { name: 'SDL_Event', size: 56 }, // Uint8 padding[56]
);
type Event = StorableOf<typeof SDL_Event>;

const SDL_WINDOWEVENT_RESIZED = 5;
const key = (type: 'SDL_KEYDOWN' | 'SDL_KEYUP', timestamp: number, sym: number): Event => ({
  type,
  timestamp,
  windowID: 1,
  state: type === 'SDL_KEYDOWN' ? 1 : 0,
  repeat: 0,
  padding2: 0,
  padding3: 0,
  keysym: { scancode: sym - 93, sym, mod: 0, unused: 0 },
});

/** What the binding's event loop does with each event: a switch on the discriminant. */
const describeEvent = (e: Event): string => {
  switch (e.type) {
    case 'SDL_QUIT':
      return `quit at ${e.timestamp}`;
    case 'SDL_WINDOWEVENT':
      return e.event === SDL_WINDOWEVENT_RESIZED
        ? `window ${e.windowID} resized to ${e.data1}x${e.data2}`
        : `window ${e.windowID} event ${e.event}`;
    case 'SDL_KEYDOWN':
    case 'SDL_KEYUP':
      return `${e.type === 'SDL_KEYDOWN' ? 'key down' : 'key up'} '${String.fromCharCode(e.keysym.sym)}'`;
  }
};

console.log(`4. SDL_Event: ${SDL_Event.sizeOf} bytes; a queue of five, the fourth unknown`);
const queue = callocBytes(5 * SDL_Event.sizeOf)() as Ptr<Event>;
pokeArray(SDL_Event, queue, [
  key('SDL_KEYDOWN', 10, 0x61),
  key('SDL_KEYUP', 12, 0x61),
  {
    type: 'SDL_WINDOWEVENT',
    timestamp: 20,
    windowID: 1,
    event: SDL_WINDOWEVENT_RESIZED,
    padding1: 0,
    padding2: 0,
    padding3: 0,
    data1: 800,
    data2: 600,
  },
  { type: 'SDL_QUIT', timestamp: 0 }, // overwritten below with an event type this binding lacks
  { type: 'SDL_QUIT', timestamp: 30 },
])();
pokeField(QuitEvent, 'type')(advancePtr(SDL_Event, queue, 3), 0x400)(); // SDL_MOUSEMOTION
for (let i = 0; i < 5; i++) {
  try {
    console.log(`  ${i}: ${describeEvent(peekElemOff(SDL_Event, queue, i)())}`);
  } catch (error) {
    if (!(error instanceof MarshalError)) throw error;
    const type = peekField(SDL_Event, ['SDL_QUIT', 'type'])(advancePtr(SDL_Event, queue, i))();
    console.log(`  ${i}: skipped, type 0x${type.toString(16)} has no arm (${error.reason})`);
  }
}
console.log(
  `  #{peek SDL_Event, key.keysym.sym} of event 0 = ` +
    `${peekField(SDL_Event, ['SDL_KEYDOWN', 'keysym', 'sym'])(queue)()}`,
);
free(queue)();
