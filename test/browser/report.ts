/**
 * The page side of `npm run test:browser` (scripts/test-browser.ts): how a page hands its
 * results to the runner. A page calls `report(result)` once when it is done; the runner waits
 * for `window.__outcome`, takes a screenshot, and checks the result in Node. An uncaught error or
 * rejected promise makes the outcome a failure instead (`{ failure, stack }`), which fails the
 * page whatever its check says. The page also shows its result in `<pre id="out">`, so that the
 * screenshot says what happened.
 */

/** What a page hands to the runner (scripts/test-browser.ts reads it). */
export type Outcome =
  { readonly result: unknown } | { readonly failure: string; readonly stack?: string | undefined };

declare global {
  interface Window {
    __outcome?: Outcome;
  }
}

/** JSON with bigints as `"123n"`, for results that hold them. */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2);

/** Shows `text` on the page. */
export const show = (text: string): void => {
  const out = document.getElementById('out');
  if (out !== null) out.textContent = text;
};

const settle = (outcome: Outcome, text: string): void => {
  if (window.__outcome !== undefined) return;
  show(text);
  window.__outcome = JSON.parse(toJson(outcome)) as Outcome;
};

/** Hands `result` to the runner (the first report or failure wins). */
export const report = (result: unknown, text: string = toJson(result)): void => {
  settle({ result }, text);
};

const fail = (error: unknown): void => {
  const e = error instanceof Error ? error : new Error(String(error));
  const failure = `${e.name}: ${e.message}`;
  settle({ failure, stack: e.stack }, `${failure}\n${e.stack ?? ''}`);
};

window.addEventListener('error', (event) => fail(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => fail(event.reason));
