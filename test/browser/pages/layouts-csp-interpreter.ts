/**
 * The layout workload under the same CSP, with `setLayoutCompiler('interpreter')` before the
 * first layout is used: no probe, so no securitypolicyviolation event at all.
 */
import { setLayoutCompiler } from 'foreign-ts';
import { runWorkload } from './layouts-workload.js';

setLayoutCompiler('interpreter');
void runWorkload('layouts-csp-interpreter');
