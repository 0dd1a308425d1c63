/**
 * Imported by an example's page after the example itself: ESM evaluates it once the example
 * (with its top-level awaits) has finished, and it reports what the example printed.
 */
import { printed } from './console.js';
import { report } from './report.js';

report({ output: printed() }, printed());
