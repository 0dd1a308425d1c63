/**
 * C's scalar types and the library's instances for them, per data model: by clang's spelling of
 * a builtin type, and by the name of a standard typedef (`<stdint.h>`, `<stddef.h>`), which is
 * written as the library's instance of that name when its type is the one the instance reads.
 *
 * @since 0.1.0
 */
import type { ModelName, ScalarRef } from './model.js';

interface Scalar {
  /** The instance: a member of the data model (`CInt` → `m.CInt`) or a top-level one. */
  readonly instance: string;
  readonly inModel: boolean;
  readonly size: (model: ModelName) => number;
  readonly signed: boolean;
  readonly float?: true;
}

const fixed = (n: number) => (): number => n;
const word = (model: ModelName): number => (model === 'wasm32' ? 4 : 8);

const c = (instance: string, size: number | typeof word, signed: boolean): Scalar => ({
  instance,
  inModel: true,
  size: typeof size === 'number' ? fixed(size) : size,
  signed,
});

/** clang's spellings of the builtin types the library has an instance for. */
const BUILTINS: Readonly<Record<string, Scalar>> = {
  char: c('CChar', 1, true),
  'signed char': c('CSChar', 1, true),
  'unsigned char': c('CUChar', 1, false),
  short: c('CShort', 2, true),
  'unsigned short': c('CUShort', 2, false),
  int: c('CInt', 4, true),
  'unsigned int': c('CUInt', 4, false),
  long: c('CLong', word, true),
  'unsigned long': c('CULong', word, false),
  'long long': c('CLLong', 8, true),
  'unsigned long long': c('CULLong', 8, false),
  float: { ...c('CFloat', 4, true), float: true },
  double: { ...c('CDouble', 8, true), float: true },
  _Bool: c('CBool', 1, false),
  bool: c('CBool', 1, false), // clang's spelling of _Bool when <stdbool.h> defines bool
};

/** Builtin types with no instance in this library, and what to say about them. */
export const UNSUPPORTED_BUILTINS: Readonly<Record<string, string>> = {
  'long double': 'long double (80-bit on x86-64, 128-bit on wasm32: no instance of this library)',
  __int128: '__int128 (no 128-bit integer instance in this library)',
  'unsigned __int128': 'unsigned __int128 (no 128-bit integer instance in this library)',
  _Float16: '_Float16 (no half-precision instance in this library)',
  __fp16: '__fp16 (no half-precision instance in this library)',
  __bf16: '__bf16 (no bfloat16 instance in this library)',
  __float128: '__float128 (no 128-bit float instance in this library)',
};

const top = (instance: string, size: number, signed: boolean): Scalar => ({
  instance,
  inModel: false,
  size: fixed(size),
  signed,
});

/** Standard typedefs written as the library's instance of the same meaning. */
const STANDARD: Readonly<Record<string, Scalar>> = {
  int8_t: top('Int8', 1, true),
  int16_t: top('Int16', 2, true),
  int32_t: top('Int32', 4, true),
  int64_t: top('Int64', 8, true),
  uint8_t: top('Word8', 1, false),
  uint16_t: top('Word16', 2, false),
  uint32_t: top('Word32', 4, false),
  uint64_t: top('Word64', 8, false),
  size_t: c('CSize', word, false),
  ptrdiff_t: c('CPtrdiff', word, true),
  intptr_t: c('CIntPtr', word, true),
  uintptr_t: c('CUIntPtr', word, false),
  intmax_t: c('CIntMax', 8, true),
  uintmax_t: c('CUIntMax', 8, false),
  wchar_t: c('CWchar', 4, true),
};

const ref = (s: Scalar, model: ModelName): ScalarRef => {
  const size = s.size(model);
  return {
    t: 'scalar',
    expr: s.inModel ? `m.${s.instance}` : s.instance,
    ts: size === 8 && s.float !== true ? 'bigint' : 'number',
    size,
    signed: s.signed,
    float: s.float === true,
  };
};

/** The instance of the builtin type clang spells `spelling`, or `undefined` when none. */
export const builtinScalar = (spelling: string, model: ModelName): ScalarRef | undefined => {
  const s = BUILTINS[spelling];
  return s === undefined ? undefined : ref(s, model);
};

/**
 * The library's instance for the standard typedef `name` whose type is the builtin `spelling`,
 * when its size and signedness are that instance's; `undefined` otherwise.
 */
export const standardScalar = (
  name: string,
  spelling: string | undefined,
  model: ModelName,
): ScalarRef | undefined => {
  const s = Object.hasOwn(STANDARD, name) ? STANDARD[name] : undefined;
  const b = spelling === undefined ? undefined : builtinScalar(spelling, model);
  if (s === undefined || b === undefined || b.float) return undefined;
  const r = ref(s, model);
  return r.size === b.size && r.signed === b.signed ? r : undefined;
};

/** The instance of an integer of `size` bytes and the given signedness (enum bases). */
export const integerScalar = (size: number, signed: boolean, model: ModelName): ScalarRef => {
  const name =
    size === 4
      ? signed
        ? 'int'
        : 'unsigned int'
      : size === 8
        ? signed
          ? 'long long'
          : 'unsigned long long'
        : size === 2
          ? signed
            ? 'short'
            : 'unsigned short'
          : signed
            ? 'signed char'
            : 'unsigned char';
  return builtinScalar(name, model) as ScalarRef;
};
