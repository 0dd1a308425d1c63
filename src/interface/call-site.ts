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

/** The frames of a stack trace as call sites (those that can be read). */
const framesOf = (stack: string): CallSite[] => {
  const frames: CallSite[] = [];
  for (const text of stack.split('\n')) {
    const frame = parseFrame(text);
    if (frame !== undefined) frames.push(frame);
  }
  return frames;
};

/**
 * The folder this library's modules are in (`…/src/` or `…/dist/`, as the engine names it), read
 * from this module's own frame; `undefined` where the engine's stack trace does not tell.
 */
const LIBRARY: string | undefined = (() => {
  const here = framesOf(new Error().stack ?? '')[0]?.file ?? '';
  const i = here.lastIndexOf('/interface/');
  return i < 0 ? undefined : here.slice(0, i + 1);
})();

/** Whether a frame is the library's own, or fp-ts's (the IO programs' plumbing), or the engine's. */
const isLibraryFrame = (file: string): boolean =>
  (LIBRARY !== undefined && file.startsWith(LIBRARY)) ||
  file.includes('/node_modules/fp-ts/') ||
  file.startsWith('node:');

/** How many frames {@link userCallSite} asks the engine for (V8 gives 10 by default). */
const FRAMES = 64;

/**
 * The call site of the first frame outside this library (and outside fp-ts): the user's line
 * that called `malloc`, `withArray`, `alloca`, … however deep in the library the allocation was
 * made. Costs one stack trace of up to 64 frames; {@link NO_CALL_SITE} when none can be read.
 * What a context whose door is a memory interface tells the hooks, when the interface asks.
 *
 * @category utils
 * @since 0.1.0
 */
export const userCallSite = (): CallSite => {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  if (typeof limit === 'number' && limit < FRAMES) E.stackTraceLimit = FRAMES;
  const stack = new Error().stack;
  if (typeof limit === 'number' && limit < FRAMES) E.stackTraceLimit = limit;
  if (typeof stack !== 'string') return NO_CALL_SITE;
  for (const frame of framesOf(stack)) if (!isLibraryFrame(frame.file)) return frame;
  return NO_CALL_SITE;
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
  const frames = framesOf(stack);
  // frames[0] is this function, frames[1] its caller (an al_* function), frames[2] theirs.
  return frames[2 + skip] ?? NO_CALL_SITE;
};

/**
 * A call site as the reports write it: `func (file:line)`, `<top level>` for a frame without a
 * function name, `(no call site)` for {@link NO_CALL_SITE}; with `basename`, the file's last
 * path segment only.
 *
 * @internal
 */
export const siteText = (s: CallSite, basename: boolean): string => {
  if (s.file === '' && s.line === 0 && s.func === '') return '(no call site)';
  const file = basename ? (s.file.split('/').pop() ?? s.file) : s.file;
  return `${s.func === '' ? '<top level>' : s.func} (${file}:${s.line})`;
};
