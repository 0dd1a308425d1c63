/**
 * The layout workload under `Content-Security-Policy: script-src 'self'` (no 'unsafe-eval'):
 * 'auto' tries `new Function` once, is refused (one securitypolicyviolation event), and
 * interprets every layout.
 */
import { runWorkload } from './layouts-workload.js';

void runWorkload('layouts-csp');
