/** mulberry32, the generator of the benchmark traces (one implementation, in bench/lib). */
export { mulberry32 } from '../../bench/lib/trace.js';
