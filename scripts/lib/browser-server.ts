/**
 * The static server of `npm run test:browser` (scripts/test-browser.ts): serves a directory
 * on 127.0.0.1 under `/POLICY/PATH`, each response with the headers of POLICY
 * (scripts/lib/browser-pages.ts `POLICIES`: cross-origin isolation, a Content-Security-Policy,
 * or nothing special). Only files inside the directory are served; anything else is a 404.
 * `route` is the decision alone, so that a test can check it without a socket.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { POLICIES, type Policy } from './browser-pages.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** What the server answers to one request path. */
export type Route =
  | { readonly status: 200; readonly file: string; readonly headers: Record<string, string> }
  | { readonly status: 404; readonly headers: Record<string, string> };

const NOT_FOUND: Route = { status: 404, headers: { 'Content-Type': 'text/plain' } };

/** The answer to `url` (a request's path and query) when serving `site`. */
export const route = (site: string, url: string): Route => {
  let path: string;
  try {
    path = decodeURIComponent(url.split('?')[0]!);
  } catch {
    return NOT_FOUND; // a malformed escape such as %zz
  }
  const [, policy = '', ...rest] = path.split('/');
  if (!Object.hasOwn(POLICIES, policy)) return NOT_FOUND;
  const file = resolve(site, ...rest);
  if (!file.startsWith(resolve(site) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return NOT_FOUND;
  }
  return {
    status: 200,
    file,
    headers: {
      ...POLICIES[policy as Policy],
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    },
  };
};

/** A running server: the address of a path under a policy, and how to stop it. */
export interface Served {
  readonly url: (policy: Policy, path: string) => string;
  readonly close: () => Promise<void>;
}

/** Serves `site` on 127.0.0.1 at a free port. */
export const serve = async (site: string): Promise<Served> => {
  const server: Server = createServer((req, res) => {
    const answer = route(site, req.url ?? '/');
    res.writeHead(answer.status, answer.headers);
    res.end(answer.status === 200 ? readFileSync(answer.file) : 'not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: (policy, path) => `http://127.0.0.1:${port}/${policy}/${path}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
};
