/**
 * Runs a build tool: output streamed line by line, the last lines kept for error messages,
 * cancellable through an AbortSignal (the whole process group is stopped).
 */
import { spawn } from 'node:child_process';

export type OutputStream = 'stdout' | 'stderr';

export interface RunOptions {
  readonly program: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** How many of the last lines to keep. Default 40. */
  readonly keepLines?: number;
  /** After SIGTERM on cancel, SIGKILL after this long. Default 5 s. */
  readonly killGraceMs?: number;
}

export interface RunOutcome {
  /** Exit code, or null when killed by a signal or never started. */
  readonly exitCode: number | null;
  /** Set when the process could not be started (ENOENT: not found; EACCES: not executable). */
  readonly spawnError?: NodeJS.ErrnoException;
  readonly cancelled: boolean;
  /** The last output lines of both streams, in order. */
  readonly tail: readonly string[];
}

export function runProcess(options: RunOptions): Promise<RunOutcome> {
  const keep = options.keepLines ?? 40;
  const tail: string[] = [];
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ exitCode: null, cancelled: true, tail });
      return;
    }
    let cancelled = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    const detached = process.platform !== 'win32';
    const child = spawn(options.program, [...options.args], {
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that cancelling stops what the tool started too.
      detached,
    });
    const pushLine = (line: string, stream: OutputStream) => {
      tail.push(line);
      if (tail.length > keep) tail.shift();
      try {
        options.onLine?.(line, stream);
      } catch {
        // A listener's failure must not break the build.
      }
    };
    const reader = (stream: OutputStream) => {
      let pending = '';
      return {
        data(chunk: Buffer) {
          pending += chunk.toString('utf8');
          const parts = pending.split(/\r\n|\n|\r/);
          pending = parts.pop() ?? '';
          for (const part of parts) pushLine(part, stream);
        },
        end() {
          if (pending !== '') pushLine(pending, stream);
          pending = '';
        },
      };
    };
    const out = reader('stdout');
    const err = reader('stderr');
    child.stdout?.on('data', out.data);
    child.stderr?.on('data', err.data);

    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        if (detached) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        child.kill(signal);
      }
    };
    const onAbort = () => {
      cancelled = true;
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), options.killGraceMs ?? 5000);
      killTimer.unref?.();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code) => {
      out.end();
      err.end();
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      resolve({ exitCode: code, cancelled, tail, ...(spawnError ? { spawnError } : {}) });
    });
  });
}
