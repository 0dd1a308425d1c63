/**
 * The same request for a shared heap on a page served without the cross-origin isolation
 * headers: the browser gives no SharedArrayBuffer, and the library says what the page needs
 * (SharedMemoryUnavailableError naming the call and the two headers); a heap that is not
 * shared still works there.
 */
import { Heap, SharedMemoryUnavailableError } from 'foreign-ts';
import { report } from '../report.js';

let error: { name: string; message: string; isLibraryError: boolean } | null = null;
try {
  Heap.create({ shared: true });
} catch (e) {
  error = {
    name: (e as Error).name,
    message: (e as Error).message,
    isLibraryError: e instanceof SharedMemoryUnavailableError,
  };
}
const heap = Heap.create();
heap.free(heap.malloc(100));
heap.check();
report({
  crossOriginIsolated,
  sharedArrayBuffer: typeof SharedArrayBuffer,
  error,
  plainHeapWorks: heap.stats().liveBlocks === 0,
});
