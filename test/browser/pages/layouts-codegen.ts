/** The layout workload where code generation is allowed (no CSP): 'auto' generates code. */
import { runWorkload } from './layouts-workload.js';

void runWorkload('layouts-codegen');
