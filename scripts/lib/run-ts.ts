/**
 * Runs a TypeScript program the way a user of this repository would (`npx tsx file.ts`): a
 * child Node process with tsx's loader, from the repository root, so that `import … from
 * 'foreign-ts'` resolves to `src/` through tsconfig.json's `paths`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `scripts/lib/run-ts.ts`). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunResult {
  /** Exit code, or `null` when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the run was stopped because it took longer than `timeoutMs`. */
  readonly timedOut: boolean;
}

export interface RunOptions {
  /** Stop the program after this long. Default 60 s. */
  readonly timeoutMs?: number;
  /** Let the program write to this process's stdout and stderr instead of capturing them. */
  readonly inherit?: boolean;
  /** Extra Node flags, such as `--expose-gc`. */
  readonly nodeFlags?: readonly string[];
}

/**
 * The environment of a child program: this one's, without what would make its output depend on
 * who runs it (colours forced by a test runner).
 */
const childEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return env;
};

/** Runs `file` (a path relative to the repository root, or absolute) with tsx. */
export const runTs = (file: string, options: RunOptions = {}): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const args = [...(options.nodeFlags ?? []), '--import', 'tsx', file];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: childEnv(),
      stdio: options.inherit === true ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });

/** A one-line description of how a run ended, for messages. */
export const describeExit = (r: RunResult): string =>
  r.timedOut
    ? 'timed out'
    : r.signal !== null
      ? `killed by ${r.signal}`
      : `exit code ${String(r.code)}`;
