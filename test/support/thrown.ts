/** What `f` throws, or `undefined` when it returns. */
export const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
};

/**
 * The message of what `f` throws, after checking that it is an instance of `kind` and that the
 * message names `call` first (`peek: …`). Fails the test otherwise.
 */
export const refusal = (
  f: () => unknown,
  kind: abstract new (...args: never[]) => Error,
  call: string,
): string => {
  const error = thrown(f);
  if (!(error instanceof kind)) throw new Error(`expected a ${kind.name}, got ${String(error)}`);
  if (!error.message.startsWith(`${call}: `))
    throw new Error(`expected a message naming ${call}: ${error.message}`);
  return error.message;
};

/** As {@link refusal}, for a promise that must reject. */
export const rejection = async (
  f: () => Promise<unknown>,
  kind: abstract new (...args: never[]) => Error,
  call: string,
): Promise<string> => {
  let error: unknown;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  return refusal(
    () => {
      throw error;
    },
    kind,
    call,
  );
};
