// Runs a TypeScript module in a worker thread of a benchmark: registers tsx's loader, then
// imports the module named by workerData.entry (workers do not inherit `--import tsx`).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
