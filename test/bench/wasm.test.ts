/**
 * The wasm bench suite's cells (bench/suites/wasm.ts) compute what C must see: each one's run
 * passes its own check (C's checksum over the 10,000 Particles against the definition's bytes),
 * and a cell that wrote a wrong byte would be refused.
 */
import { describe, expect, it } from 'vitest';
import {
  suite,
  expectedChecksum,
  particles,
  wasmCell,
  type WasmImpl,
} from '../../bench/suites/wasm.js';

const sw = { clock: 'wall' as const, start: () => {}, stop: () => {}, add: () => {} };

describe('bench suite wasm', () => {
  it('every cell runs and passes its check', () => {
    const [workload] = suite.workloads({ quick: true });
    expect(workload!.cells.map((c) => c.impl)).toHaveLength(5);
    for (const cell of workload!.cells) expect(() => cell.run(sw)).not.toThrow();
  });
  it('a cell whose bytes are wrong is refused', () => {
    const ps = particles();
    const wrong: WasmImpl = { impl: 'wrong', make: () => () => expectedChecksum(ps) + 1n };
    expect(() => wasmCell(wrong, 1, ps, expectedChecksum(ps)).run(sw)).toThrow(/refused/);
  });
});
