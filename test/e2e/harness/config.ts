// Paths and run options of the e2e harness. Options come from the environment; scripts/e2e-run.mjs turns its
// command-line flags (--headed, --keep-open, --slow-mo, --no-step-screenshots) into these variables.
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const resultsRoot = path.join(repoRoot, 'test-results');
/** One folder per code-server session: user-data, extensions, home, workspace copy, control folder, logs. */
export const sessionsRoot = path.join(resultsRoot, 'e2e');
export const screenshotsRoot = path.join(resultsRoot, 'screenshots');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
export const extensionVsix = path.join(repoRoot, 'rhcos-layering.vsix');
export const runnerVsix = path.join(repoRoot, 'out', 'e2e', 'rhcos-layering-e2e-runner.vsix');

const flag = (name: string) => ['1', 'true', 'yes'].includes((process.env[name] ?? '').toLowerCase());

export const options = {
  /** Show the browser window (needs a display: DISPLAY set, or run under xvfb-run). */
  headed: flag('E2E_HEADED'),
  /** Leave code-server and the browser running after the tests until Ctrl-C, and print the URLs. */
  keepOpen: flag('E2E_KEEP_OPEN'),
  /** Slow every Playwright action down by this many milliseconds (to watch a headed run). */
  slowMo: Number(process.env.E2E_SLOW_MO ?? 0) || 0,
  /** Take a screenshot after every helper step (default), not only on failure. */
  stepScreenshots: process.env.E2E_STEP_SCREENSHOTS !== '0',
  /** Default timeout of a single wait (selector, file, bridge call), in ms. */
  timeoutMs: Number(process.env.E2E_TIMEOUT_MS ?? 30_000) || 30_000,
  chromium: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
};
