/**
 * The keys of `using` (src/dispose/): on Node 20 they are the runtime's own symbols, and
 * `disposeNow` settles as the release went. The published types must compile under ES2022
 * without ESNext.Disposable (scripts/smoke/tsconfig.es2022*.json, run by the packed-package
 * smoke test): no file of src/ outside src/dispose/ may name the lib's `Disposable` types or
 * write `Symbol.dispose` as a key (where a runtime lacks it, that key is "undefined").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncDisposeKey, disposeKey, disposeNow } from '../../src/dispose/index.js';
import {
  B_AREA_MALLOC_MODULE_NAME,
  B_ERROR,
  B_OK,
  get_module,
  put_module,
} from '../../src/area/index.js';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );

/** The code of a file without its comments and strings (an error may name `Symbol.dispose`). */
const codeOf = (file: string): string =>
  readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");

describe('the keys of using', () => {
  it('are the runtime symbols where the runtime has them (Node 20)', () => {
    expect(disposeKey).toBe(Symbol.dispose);
    expect(asyncDisposeKey).toBe(Symbol.asyncDispose);
  });

  it('disposeNow resolves after a release that returns, rejects with what one throws', async () => {
    let released = 0;
    await expect(disposeNow(() => void released++)).resolves.toBeUndefined();
    expect(released).toBe(1);
    const failure = new Error('release failed');
    await expect(
      disposeNow(() => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it("area's module is released by using, through the same key", () => {
    {
      using area = get_module(B_AREA_MALLOC_MODULE_NAME);
      expect(area).not.toBeNull();
      expect(typeof area?.[disposeKey]).toBe('function');
      // a second user, so that this block's release is observable: the module stays open
      expect(get_module(B_AREA_MALLOC_MODULE_NAME)).not.toBeNull();
    }
    // this block's user was put away by `using`; the second one is the last
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_OK);
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_ERROR); // nobody holds it now
  });
});

describe('the published types need no lib that declares Disposable', () => {
  const src = join(import.meta.dirname, '..', '..', 'src');
  const files = filesUnder(src).filter(
    (file) => file.endsWith('.ts') && !file.includes(join('src', 'dispose')),
  );

  it.each([
    ['Disposable, AsyncDisposable or DisposableStack as a type', /\b(Async)?Disposable(Stack)?\b/],
    ['Symbol.dispose or Symbol.asyncDispose as a key', /\[\s*Symbol\.(async)?[dD]ispose\s*\]/],
  ])('no file of src/ outside src/dispose/ names %s', (_what, pattern) => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => pattern.test(codeOf(file)))).toEqual([]);
  });
});
