// Runs a TypeScript module in a worker thread: registers tsx's loader, then imports the
// module named by workerData.entry.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
