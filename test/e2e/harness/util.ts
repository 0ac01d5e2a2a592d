import { existsSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import path from 'node:path';

/** Resolves with the parsed JSON of `file` once it exists (fs.watch on its folder, plus a slow safety re-check). */
export function waitForJsonFile<T>(file: string, timeoutMs: number, what: string, abort?: () => string | undefined): Promise<T> {
  const folder = path.dirname(file);
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (error?: Error, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(safety);
      watcher.close();
      if (error) reject(error);
      else resolve(value!);
    };
    const check = () => {
      const reason = abort?.();
      if (reason) return finish(new Error(`Gave up waiting for ${what}: ${reason}`));
      if (!existsSync(file)) return;
      try {
        finish(undefined, JSON.parse(readFileSync(file, 'utf8')) as T);
      } catch {
        // written non-atomically by someone else: the next event re-reads it
      }
    };
    const watcher = watch(folder, () => check());
    // fs.watch can miss events on some file systems; this re-check is a safety net, not the wait itself.
    const safety = setInterval(check, 500);
    const timer = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (${file})`)), timeoutMs);
    check();
  });
}

export function tail(file: string | undefined, lines = 40): string {
  if (!file || !existsSync(file)) return '(no file)';
  const text = readFileSync(file, 'utf8').trimEnd();
  if (!text) return '(empty)';
  return text.split('\n').slice(-lines).join('\n');
}

/** A file-name-safe slug of a test title. */
export function slug(text: string, max = 80): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max) || 'step'
  );
}

/** Newest sub-folder (by name; VS Code names log folders by timestamp) of `folder`. */
export function newestSubfolder(folder: string): string | undefined {
  if (!existsSync(folder)) return undefined;
  const names = readdirSync(folder).filter((name) => statSync(path.join(folder, name)).isDirectory()).sort();
  const last = names.at(-1);
  return last ? path.join(folder, last) : undefined;
}

/** All files under `folder` whose name matches `pattern`. */
export function findFiles(folder: string, pattern: RegExp): string[] {
  if (!existsSync(folder)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(full, pattern));
    else if (pattern.test(entry.name)) found.push(full);
  }
  return found.sort();
}

export function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/**
 * Calls `probe` until `accept` holds for its value, and returns that value. For state the page cannot observe
 * (extension host state read through the bridge). Not a sleep: it stops as soon as the condition holds.
 */
export async function poll<T>(probe: () => Promise<T>, accept: (value: T) => boolean, options: { timeoutMs: number; message: string; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.message}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
