/** What `f` throws, or `undefined` when it returns. */
export const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
};
