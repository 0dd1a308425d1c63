/**
 * The layout compilers find the functions of `chars` and bit-field members in member-kinds.ts,
 * where their combinators' modules put them as they load (so that a bundle without such
 * members carries neither): both are there once the layout folder is loaded, and a layout that
 * claims a kind whose combinator never loaded is a TypeError naming compileLayout.
 */
import { describe, expect, it, vi } from 'vitest';
import { CInt, bits, chars, compileLayout, struct } from '../../../src/foreign/index.js';
import { membersOf } from '../../../src/foreign/layout/member-kinds.js';

describe('member kinds', () => {
  it('holds the chars and bit-field functions once the layout folder is loaded', () => {
    expect(typeof membersOf('chars').reader).toBe('function');
    expect(typeof membersOf('bits').writer).toBe('function');
    const S = struct({ name: chars(4), flags: bits(CInt, 3) });
    for (const how of ['codegen', 'interpreter'] as const) {
      expect(compileLayout(S, how).is({ name: 'ab', flags: 2 })).toBe(true);
    }
  });

  it('refuses a kind whose combinator never loaded, naming compileLayout', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/foreign/layout/member-kinds.js');
    expect(() => fresh.membersOf('chars')).toThrow(TypeError);
    expect(() => fresh.membersOf('bits')).toThrow(/^compileLayout: a bits layout/);
  });
});
