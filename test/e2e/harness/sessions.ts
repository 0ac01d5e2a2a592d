// Sessions (code-server + a browser window on it) for mocha scenarios. Sessions with the same options are shared
// across describe blocks unless `fresh` is set; everything is stopped at the end of the run, on Ctrl-C, and
// (through scripts/code-server-guard.mjs) even if this process dies.
import { chromium, type Browser } from 'playwright-core';
import { CodeServerSession, type SessionOptions } from './code-server';
import { options } from './config';
import { indent } from './util';
import { Workbench } from './workbench';

interface Entry {
  session: CodeServerSession;
  workbench: Promise<Workbench>;
}

const shared = new Map<string, Entry>();
const all: Entry[] = [];
let browser: Promise<Browser> | undefined;

function launchBrowser(): Promise<Browser> {
  if (options.headed && !process.env.DISPLAY) {
    throw new Error('--headed needs a display: set DISPLAY, or run under Xvfb: xvfb-run -a npm run test:e2e -- --headed');
  }
  browser ??= chromium.launch({
    executablePath: options.chromium,
    headless: !options.headed,
    slowMo: options.slowMo,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
      // Nothing but 127.0.0.1: every other host name fails to resolve inside the browser.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  return browser;
}

/** Sessions with equal options (compared deeply, in any key order) are shared. */
function keyOf(sessionOptions: SessionOptions): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical)
      : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
      : value;
  return JSON.stringify(canonical(sessionOptions));
}

/** Starts (or reuses) a session with these options and returns its workbench. */
export async function acquireWorkbench(sessionOptions: SessionOptions = {}): Promise<Workbench> {
  const key = keyOf(sessionOptions);
  const existing = sessionOptions.fresh ? undefined : shared.get(key);
  if (existing) {
    const workbench = await existing.workbench;
    await workbench.reset();
    return workbench;
  }
  const session = new CodeServerSession(sessionOptions);
  const entry: Entry = {
    session,
    workbench: (async () => {
      const started = Date.now();
      await session.start();
      const workbench = await Workbench.open(session, await launchBrowser());
      const phases = Object.entries(session.timings).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ');
      process.stderr.write(`      [e2e] session "${session.name}" ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${phases}) at ${session.url}\n`);
      return workbench;
    })(),
  };
  all.push(entry);
  if (!sessionOptions.fresh) shared.set(key, entry);
  try {
    return await entry.workbench;
  } catch (error) {
    const report = session.failureReport();
    throw new Error(`Session "${session.name}" did not start: ${error instanceof Error ? error.message : String(error)}\n${indent(report)}`);
  }
}

/** Sessions started so far (for the keep-open listing and reports). */
export function sessions(): CodeServerSession[] {
  return all.map((entry) => entry.session);
}

export async function stopAll(): Promise<void> {
  const entries = all.splice(0);
  shared.clear();
  await Promise.all(
    entries.map(async (entry) => {
      const workbench = await entry.workbench.catch(() => undefined);
      await workbench?.close();
      await entry.session.stop();
    }),
  );
  const running = browser;
  browser = undefined;
  await (await running?.catch(() => undefined))?.close();
}

function killAllNow(): void {
  for (const entry of all) entry.session.killNow();
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n[e2e] ${signal}: stopping code-server and the browser...\n`);
    const forced = setTimeout(() => {
      killAllNow();
      process.exit(130);
    }, 10_000);
    void stopAll().finally(() => {
      clearTimeout(forced);
      process.exit(130);
    });
  });
}
process.on('exit', killAllNow);

/**
 * For a mocha describe(): starts (or reuses) a session in `before`, points step screenshots at each test, and on a
 * failing test saves a screenshot and prints the tails of the code-server, extension host, extension and browser
 * logs. Returns a getter for the Workbench.
 *
 *   describe('my scenario', function () {
 *     const workbench = useWorkbench({ env: { KUBECONFIG: kubeconfig } });
 *     it('...', async function () { await workbench().openFile('Containerfile'); });
 *   });
 */
const reported = new Set<CodeServerSession>();

export function useWorkbench(sessionOptions: SessionOptions = {}): () => Workbench {
  let current: Workbench | undefined;
  before(async function () {
    this.timeout(Math.max(this.timeout(), 600_000)); // a first run may install code-server (about 3 minutes)
    current = await acquireWorkbench(sessionOptions);
  });
  beforeEach(function () {
    current?.beginTest(this.currentTest?.fullTitle() ?? 'test');
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (!current || test?.state !== 'failed') return;
    const shot = await current.screenshot('failure').catch((error: unknown) => `(no screenshot: ${String(error)})`);
    const session = current.session;
    const logs = reported.has(session) ? `      (logs of session "${session.name}" printed above; all in ${session.logsDir})` : indent(session.failureReport(), '      ');
    reported.add(session);
    process.stderr.write(`\n      [e2e] "${test.fullTitle()}" failed. Screenshot: ${shot}\n${logs}\n`);
  });
  return () => {
    if (!current) throw new Error('No workbench: call useWorkbench() inside describe(), and use the getter inside it()/hooks');
    return current;
  };
}
