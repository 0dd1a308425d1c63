/**
 * The registered suites, in the order `npm run bench` runs them. Each is loaded only when it
 * runs, so a suite whose dependencies are missing does not stop the others.
 */
import type { Suite } from '../harness.js';

export interface SuiteEntry {
  readonly name: string;
  readonly load: () => Promise<Suite>;
}

export const suites: readonly SuiteEntry[] = [
  { name: 'heap', load: async () => (await import('./heap.js')).suite },
  { name: 'struct', load: async () => (await import('./struct.js')).suite },
  { name: 'alloca', load: async () => (await import('./alloca.js')).suite },
  { name: 'kernel', load: async () => (await import('./kernel.js')).suite },
  { name: 'area', load: async () => (await import('./area.js')).suite },
  { name: 'interface', load: async () => (await import('./interface.js')).suite },
  { name: 'wasm', load: async () => (await import('./wasm.js')).suite },
];
