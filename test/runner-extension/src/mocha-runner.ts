// Runs the compiled in-editor suites (dist/suites/*.test.js) with mocha inside the extension host.
import Mocha from 'mocha';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { inspect } from 'node:util';
import type { RunRequest, RunResult, TestError, TestResult } from './protocol';

export function listSuites(suitesDir: string): string[] {
  try {
    return readdirSync(suitesDir)
      .filter((name) => name.endsWith('.test.js'))
      .map((name) => name.slice(0, -'.test.js'.length))
      .sort();
  } catch {
    return [];
  }
}

function toText(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, { depth: 6, breakLength: 100 });
}

/**
 * Points stack frames of the bundled suites at the TypeScript sources. The extension host replaces
 * Error.prepareStackTrace, so Node does not do it; the inline source maps are read with module.findSourceMap.
 */
function mapFrame(line: string): string {
  return line.replace(/(\/[^\s()]+\.js):(\d+):(\d+)/, (whole, file: string, row: string, column: string) => {
    try {
      const entry = findSourceMap(file)?.findEntry(Number(row) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
      if (!entry?.originalSource || entry.originalLine === undefined) return whole;
      const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : entry.originalSource;
      // Bundles are built in out/; show the path from the repository root (test/... or src/...).
      const shown = /(?:^|\/)((?:test|src)\/.*)$/.exec(source)?.[1] ?? source;
      return `${shown}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    } catch {
      return whole;
    }
  });
}

function toTestError(error: unknown): TestError {
  if (error instanceof Error) {
    const withValues = error as Error & { actual?: unknown; expected?: unknown; showDiff?: boolean };
    const stack = error.stack
      ?.split('\n')
      .filter((line) => !/[\\/]dist[\\/]extension\.js|node:internal/.test(line))
      .map(mapFrame)
      .join('\n');
    // node:assert already puts a diff in the message; mocha's own diff is for other assertion libraries.
    const hasDiff = /\+ actual - expected/.test(error.message);
    return {
      message: error.message,
      ...(stack ? { stack } : {}),
      ...('actual' in withValues && withValues.showDiff !== false && !hasDiff ? { actual: toText(withValues.actual), expected: toText(withValues.expected) } : {}),
    };
  }
  return { message: toText(error) };
}

function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, file);
}

let running = false;

export function isRunning(): boolean {
  return running;
}

/**
 * Runs the requested suites and writes the RunResult to `resultsPath`. Never throws: load errors and
 * crashes become `fatal`. Suite files are re-required on every run, so a session can run them again.
 */
export async function runSuites(suitesDir: string, request: RunRequest, resultsPath: string, vscodeInfo: { version: string; trusted: () => boolean }): Promise<RunResult> {
  if (running) throw new Error('A run is already in progress in this extension host');
  running = true;
  const startedAt = new Date();
  const tests: TestResult[] = [];
  const available = listSuites(suitesDir);
  const wanted = request.suites?.length ? request.suites : available;
  const result: RunResult = {
    runId: randomUUID(),
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationMs: 0,
    vscodeVersion: vscodeInfo.version,
    workspaceTrusted: vscodeInfo.trusted(),
    suites: wanted,
    stats: { tests: 0, passed: 0, failed: 0, pending: 0 },
    tests,
    resultsPath,
  };
  try {
    const unknown = wanted.filter((name) => !available.includes(name));
    if (unknown.length) throw new Error(`Unknown suite(s) ${unknown.join(', ')}; available: ${available.join(', ') || '(none: was the runner built?)'}`);
    if (!wanted.length) throw new Error(`No suites in ${suitesDir}`);

    const mocha = new Mocha({ ui: 'bdd', timeout: request.timeoutMs ?? 20_000, color: false, reporter: class Silent extends Mocha.reporters.Base {} });
    if (request.grep) mocha.grep(request.grep);
    for (const name of wanted) {
      const file = path.join(suitesDir, `${name}.test.js`);
      delete require.cache[require.resolve(file)];
      mocha.addFile(file);
    }

    const record = (test: Mocha.Runnable, state: TestResult['state'], error?: unknown): void => {
      const pendingReason = (test as Mocha.Runnable & { pendingReason?: string }).pendingReason;
      tests.push({
        title: test.title,
        fullTitle: test.fullTitle(),
        titlePath: test.titlePath(),
        ...(test.file ? { file: path.basename(test.file) } : {}),
        state,
        ...(test.duration !== undefined ? { durationMs: test.duration } : {}),
        ...(pendingReason ? { pendingReason } : {}),
        ...(error !== undefined ? { error: toTestError(error) } : {}),
      });
    };

    await new Promise<void>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve());
        runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => record(test, 'passed'));
        runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error) => record(test, 'failed', error));
        runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => record(test, 'pending'));
      } catch (error) {
        reject(error); // a suite that throws while loading
      }
    });
  } catch (error) {
    result.fatal = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  } finally {
    running = false;
    const finishedAt = new Date();
    result.finishedAt = finishedAt.toISOString();
    result.durationMs = finishedAt.getTime() - startedAt.getTime();
    result.stats = {
      tests: tests.length,
      passed: tests.filter((test) => test.state === 'passed').length,
      failed: tests.filter((test) => test.state === 'failed').length,
      pending: tests.filter((test) => test.state === 'pending').length,
    };
    writeJsonAtomic(resultsPath, result);
  }
  return result;
}

export { writeJsonAtomic };
