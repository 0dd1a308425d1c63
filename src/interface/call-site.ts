/**
 * The call site of a caller, without macros: where C's `al_malloc` passes `__LINE__`,
 * `__FILE__` and `__func__`, this reads them from a stack trace, which costs one, so it is done
 * only for an interface that asks (see `ALLEGRO_MEMORY_INTERFACE.callSites`).
 *
 * @since 0.1.0
 */

/**
 * A call site: Allegro's `(line, file, func)`. `line` is 0 and `file`/`func` are `''` where the
 * engine's stack trace does not tell.
 *
 * @category model
 * @since 0.1.0
 */
export interface CallSite {
  readonly line: number;
  readonly file: string;
  readonly func: string;
}

/** The call site that says nothing. */
export const NO_CALL_SITE: CallSite = { line: 0, file: '', func: '' };

/** V8: `    at func (file:line:col)` or `    at file:line:col`. */
const V8_FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):\d+\)?$/;
/** SpiderMonkey and JavaScriptCore: `func@file:line:col` (func may be empty). */
const AT_FRAME = /^(.*?)@(.*?):(\d+):\d+$/;

/** One line of a stack trace as a call site, or undefined when it is no frame. */
const parseFrame = (text: string): CallSite | undefined => {
  const m = V8_FRAME.exec(text) ?? AT_FRAME.exec(text);
  if (m === null) return undefined;
  const func = (m[1] ?? '').replace(/^async /, '');
  return { line: Number(m[3]), file: m[2] ?? '', func };
};

/**
 * The call site `skip` frames above the caller of this function (0: the caller's caller). Costs
 * one stack trace; {@link NO_CALL_SITE} when the engine gives none that can be read.
 *
 * @category utils
 * @since 0.1.0
 */
export const callSite = (skip: number): CallSite => {
  const stack = new Error().stack;
  if (typeof stack !== 'string') return NO_CALL_SITE;
  const frames: CallSite[] = [];
  for (const text of stack.split('\n')) {
    const frame = parseFrame(text);
    if (frame !== undefined) frames.push(frame);
  }
  // frames[0] is this function, frames[1] its caller (an al_* function), frames[2] theirs.
  return frames[2 + skip] ?? NO_CALL_SITE;
};
