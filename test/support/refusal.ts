import { expect } from 'vitest';
import { thrown } from './thrown.js';

/**
 * Asserts that each `[call, run]` throws an error of class `kind` whose message starts with
 * `call: ` (the name of the call the user made).
 */
export const expectEachRefused = (
  kind: new (...args: never[]) => Error,
  cases: ReadonlyArray<readonly [string, () => unknown]>,
): void => {
  for (const [call, run] of cases) {
    const error = thrown(run);
    expect(error, call).toBeInstanceOf(kind);
    expect((error as Error).message.startsWith(`${call}: `), `${call}: ${String(error)}`).toBe(
      true,
    );
  }
};
