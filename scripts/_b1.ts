import { Heap } from 'foreign-ts/heap';
import {
  get_module,
  B_AREA_MALLOC_MODULE_NAME,
  B_ANY_ADDRESS,
  B_FULL_LOCK,
  B_READ_AREA,
  B_WRITE_AREA,
  AreaPool,
} from 'foreign-ts/area';
const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;
const N = 2_000_000;
const sizes = new Array(4096).fill(0).map((_, i) => 8 + (((i * 2654435761) >>> 0) % 120));
function heapRun(h: Heap) {
  const live = new Array(256).fill(0);
  for (let i = 0; i < 256; i++) live[i] = h.malloc(sizes[i]!);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const j = (i * 7) & 255;
    h.free(live[j]);
    live[j] = h.malloc(sizes[i & 4095]!);
  }
  return Number(process.hrtime.bigint() - t) / N;
}
function poolRun(h: AreaPool) {
  const live = new Array(256).fill(0);
  for (let i = 0; i < 256; i++) live[i] = h.malloc(sizes[i]!);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const j = (i * 7) & 255;
    h.free(live[j]);
    live[j] = h.malloc(sizes[i & 4095]!);
  }
  return Number(process.hrtime.bigint() - t) / N;
}
for (let r = 0; r < 4; r++) {
  const pool = area.create_pool(B_ANY_ADDRESS, 64 << 20, B_FULL_LOCK, B_READ_AREA | B_WRITE_AREA)!;
  console.log(
    'heap',
    heapRun(Heap.create({ maxBytes: 64 << 20 })).toFixed(1),
    'shared heap',
    heapRun(Heap.create({ shared: true, maxBytes: 64 << 20 })).toFixed(1),
    'pool',
    poolRun(pool).toFixed(1),
  );
  area.delete_pool(pool);
}
