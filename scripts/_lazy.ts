import { get_module, B_AREA_MALLOC_MODULE_NAME, attach_pool } from 'foreign-ts/area';
import { mulberry32 } from '../bench/lib/trace.js';
const a = get_module(B_AREA_MALLOC_MODULE_NAME)!;
for (let run = 0; run < 20; run++) {
  const rnd = mulberry32(run);
  const pages = 1 + Math.floor(rnd() * 48);
  const pool = a.create_pool(0, pages * 16384, 1, 3)!;
  const other = attach_pool(pool.share());
  const hs = [pool, other];
  const live: number[] = [];
  const t = Date.now();
  for (let i = 0; i < 600; i++) {
    const h = hs[i & 1]!;
    const r = rnd();
    const size =
      r < 0.8
        ? Math.floor(rnd() * 270)
        : r < 0.95
          ? Math.floor(rnd() * 4096)
          : Math.floor(rnd() * 100000);
    if (rnd() < 0.55 || live.length === 0) {
      const p = h.malloc(size);
      if (p) live.push(p);
    } else if (rnd() < 0.5) {
      h.free(live.splice(Math.floor(rnd() * live.length), 1)[0]!);
    } else {
      const j = Math.floor(rnd() * live.length);
      const q = h.realloc(live[j]!, size);
      if (q) live[j] = q;
      else if (size === 0) live.splice(j, 1);
    }
    if (i % 50 === 0) {
      pool.check();
    }
    if (rnd() < 0.02) h.drain();
  }
  pool.check();
  console.log(run, pages, Date.now() - t, 'ms', pool.stats().liveBlocks, live.length);
  a.delete_pool(pool);
}
