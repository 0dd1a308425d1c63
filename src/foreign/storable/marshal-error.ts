import type * as t from 'io-ts';
import { showValue } from '../../arguments/index.js';

/**
 * A value that does not fit its Storable instance: 300 poked as a `Word8`, a string poked as a
 * `CInt`, a missing struct field, an array of the wrong length, a string too long for
 * `chars(n)`; or bytes that encode no value of the instance on peek (an enum tag with no name,
 * a code point above U+10FFFF, a `CBool` byte other than 0 or 1, a 64-bit integer beyond
 * 2^53 − 1 read as a `number`).
 *
 * When a poke throws it, nothing has been written.
 *
 * Its message names the call, the value, the path and the instance:
 * `poke: value 70000 at Particle.tag[2] does not fit Int16`.
 *
 * @category errors
 * @since 0.1.0
 */
export class MarshalError extends TypeError {
  override readonly name = 'MarshalError';
  constructor(
    /** The function that was called: `poke`, `peekElemOff`, … */
    readonly call: string,
    /**
     * Where in the value the offending part is, from the root: `Particle.tag[2]`. The root is
     * the name of the instance when it is an identifier, `value` otherwise.
     */
    readonly path: string,
    /** The offending (sub)value: the JavaScript value on poke, the raw number read on peek. */
    readonly value: unknown,
    /** The name of the instance the value does not fit, such as `Int16` or `char[8]`. */
    readonly instance: string,
    /** Why, when there is more to say than "does not fit". */
    readonly reason?: string,
    /** The io-ts errors of the failed validation (empty for peek errors). */
    readonly errors: t.Errors = [],
  ) {
    super(
      `${call}: value ${showValue(value)} ` +
        (path === rootLabel(instance) ? '' : `at ${path} `) +
        `does not fit ${instance}` +
        (reason === undefined ? '' : `: ${reason}`),
    );
  }

  /** The same error, as reported by another call (`peekElemOff` rather than `peek`). */
  withCall(call: string): MarshalError {
    return call === this.call
      ? this
      : new MarshalError(call, this.path, this.value, this.instance, this.reason, this.errors);
  }
}

/**
 * Where a value is found, known before any value is: the path from the root and the name of the
 * instance there. Layouts compute their sites once, so failing costs nothing until it happens.
 *
 * @category errors
 * @since 0.1.0
 */
export interface Site {
  readonly path: string;
  readonly instance: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The label of the root of a path: the instance's name when it is an identifier (`Particle`),
 * `value` otherwise (`struct { x: CDouble }`).
 *
 * @category errors
 * @since 0.1.0
 */
export const rootLabel = (name: string): string => (IDENTIFIER.test(name) ? name : 'value');

/**
 * The path of member `key` below `path`: `path.key`, or `path["odd key"]`.
 *
 * @category errors
 * @since 0.1.0
 */
export const memberPath = (path: string, key: string): string =>
  IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * The path of element `index` below `path`: `path[index]`.
 *
 * @category errors
 * @since 0.1.0
 */
export const elementPath = (path: string, index: number | string): string => `${path}[${index}]`;

/**
 * Throws the `MarshalError` of bytes at `site` that encode no value of its instance.
 *
 * @category errors
 * @since 0.1.0
 */
export const failPeek = (site: Site, value: unknown, reason: string): never => {
  throw new MarshalError('peek', site.path, value, site.instance, reason);
};

const INDEXED_TAGS = new Set(['ArrayType', 'ReadonlyArrayType', 'TupleType', 'FixedArrayType']);

const isIndexed = (type: t.Decoder<unknown, unknown>): boolean =>
  INDEXED_TAGS.has((type as { _tag?: string })._tag ?? '');

/**
 * The path of an io-ts context, in this library's notation: `Particle.tag[2]`.
 *
 * @category errors
 * @since 0.1.0
 */
export const contextPath = (context: t.Context): string => {
  const root = context[0];
  let path = rootLabel(root === undefined ? '' : root.type.name);
  for (let i = 1; i < context.length; i++) {
    const entry = context[i] as t.ContextEntry;
    const parent = (context[i - 1] as t.ContextEntry).type;
    path = isIndexed(parent) ? elementPath(path, entry.key) : memberPath(path, entry.key);
  }
  return path;
};

/**
 * The `MarshalError` of a failed validation: its first error, with the path, the offending
 * value and the instance found in the io-ts context.
 *
 * @category errors
 * @since 0.1.0
 */
export const marshalErrorOf = (
  call: string,
  codec: t.Decoder<unknown, unknown>,
  value: unknown,
): MarshalError => {
  const result = codec.validate(value, [{ key: '', type: codec, actual: value }]);
  const errors = result._tag === 'Left' ? result.left : [];
  const first = errors[0];
  if (first === undefined) {
    return new MarshalError(call, rootLabel(codec.name), value, codec.name, undefined, errors);
  }
  const leaf = first.context[first.context.length - 1];
  return new MarshalError(
    call,
    contextPath(first.context),
    first.value,
    leaf === undefined ? codec.name : leaf.type.name,
    first.message,
    errors,
  );
};

/**
 * The marker of "some element" in the paths of array elements that are read in a loop; the
 * array's reader puts the index in its place when an element fails.
 *
 * @category errors
 * @since 0.1.0
 */
export const ANY_INDEX = '[*]';

/**
 * `e` with the index `i` in place of the element marker that follows `arrayPath` (when `e` is a
 * `MarshalError` from an element of that array); other errors are returned unchanged.
 *
 * @category errors
 * @since 0.1.0
 */
export const withIndex = (e: unknown, arrayPath: string, i: number): unknown => {
  const marked = arrayPath + ANY_INDEX;
  if (!(e instanceof MarshalError) || !e.path.startsWith(marked)) return e;
  const path = `${arrayPath}[${i}]${e.path.slice(marked.length)}`;
  return new MarshalError(e.call, path, e.value, e.instance, e.reason, e.errors);
};
