// `npm run demo` as a newcomer runs it: it prints a URL, the page there is VS Code with the extension on the sample
// workspace (the deliberate mistakes show in the Problems panel), and Ctrl-C stops every process it started.
// Then the whole story in the demo's own window: the Cluster view shows the simulated cluster; Build and Push (buildah,
// to the demo's registry), Generate MachineConfig for the pushed digest, Apply to cluster, and the pool updates.
// Runs scripts/demo.mjs with --skip-build (the run already packaged the extension), 12 nodes, on a free port.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { options, repoRoot } from '../harness/config';
import { Workbench } from '../harness/workbench';

/** pid and command line of every process below `root` (children, grandchildren, ...), from ps. */
function descendants(root: number): { pid: number; command: string }[] {
  const table = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).stdout.trim().split('\n').map((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!;
    return { pid: Number(match[1]), ppid: Number(match[2]), command: match[3]! };
  });
  const found: { pid: number; command: string }[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const entry of table.filter((row) => row.ppid === parent)) {
      found.push({ pid: entry.pid, command: entry.command });
      queue.push(entry.pid);
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo', function () {
  let demo: ChildProcess | undefined;
  let output = '';
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(300_000);
    // Its own process group, as in a terminal: Ctrl-C there signals the whole group.
    demo = spawn(process.execPath, ['scripts/demo.mjs', '--skip-build', '--port', '0', '--nodes', '12', '--dir', 'test-results/demo'], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo printed no URL within 240 s:\n${output}`)), 240_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /Open (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      demo!.stdout!.on('data', onData);
      demo!.stderr!.on('data', onData);
      demo!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the demo exited with ${code} before printing its URL:\n${output}`));
      });
    });
    browser = await chromium.launch({ executablePath: options.chromium, headless: !options.headed, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(options.timeoutMs);
    workbench = Workbench.attach(context, page, 'demo');
  });

  beforeEach(function () {
    workbench?.beginTest(this.currentTest?.fullTitle() ?? 'test');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      const shot = await workbench.screenshot('failure').catch(() => '(no screenshot)');
      process.stderr.write(`\n      [e2e] "${this.currentTest.fullTitle()}" failed. Screenshot: ${shot}\n      Demo output:\n${output.split('\n').map((line) => `        ${line}`).join('\n')}\n`);
    }
  });

  after(async function () {
    await browser?.close();
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      try {
        process.kill(-demo.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });

  it('prints the URL and what to try first', function () {
    assert.match(output, /simulated OpenShift 4\.\d+\.\d+ at https:\/\/127\.0\.0\.1:\d+: infra 1, master 3, worker 8 nodes/);
    assert.match(output, /What to try first:/);
    assert.match(output, /Ctrl-C here stops everything/);
  });

  it('the URL opens VS Code on the sample workspace; the deliberate mistakes are in the Problems panel', async function () {
    this.timeout(180_000);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const explorer = page.locator('.explorer-folders-view');
    for (const folder of ['01-hotfix-override', '04-kernel-override', '06-on-cluster', 'mistakes']) await explorer.locator(`.monaco-list-row[aria-label="${folder}"]`).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input.input').fill('Containerfile.release-payload');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Containerfile.release-payload' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-group-container.active .tab.active', { hasText: 'Containerfile.release-payload' }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel .monaco-list-row');
    for (const rule of ['from-release-image', 'multiple-kernels']) await markers.filter({ hasText: rule }).first().waitFor({ timeout: 60_000 });
  });

  it('the RHCOS Layering view shows the simulated cluster\'s pools', async function () {
    this.timeout(120_000);
    await page.locator('.activitybar .action-item a[aria-label^="RHCOS Layering"]').first().click();
    const rows = page.locator('[id="workbench.parts.sidebar"] .monaco-list-row');
    for (const pool of ['infra', 'master', 'worker']) {
      await rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${pool}$`) }), hasText: /Updated/ }).first().waitFor({ timeout: 90_000 });
    }
    await rows.filter({ has: page.locator('.label-name', { hasText: /^admin$/ }), hasText: /OpenShift 4\.18/ }).first().waitFor();
  });

  it('out of the box: Build and Push to the demo registry, Generate MachineConfig for the pushed digest, Apply to cluster', async function () {
    this.timeout(420_000);
    const registry = /local registry at https:\/\/(127\.0\.0\.1:\d+)/.exec(output)?.[1];
    assert.ok(registry, `the demo started no local registry; it said:\n${output.split('\n').filter((line) => /registry/.test(line)).join('\n')}`);
    const wb = workbench!;
    await wb.openFile('07-local-registry/Containerfile');
    // The editor title bar's button, as the sample Containerfile says (it shows once the workspace is known trusted).
    await page.locator('.editor-group-container.active .editor-actions a.action-label[aria-label^="Build and Push Layered Image"]').click({ timeout: 60_000 });
    await wb.answerInputBox(`${registry}/rhcos-layered:demo`, 'Build and Push Layered Image: destination');
    // The notification names the pushed image by digest (the tag is what was pushed; the digest is what nodes pull).
    const pushed = await wb.waitForNotification(new RegExp(`^Pushed ${registry.replace(/[.]/g, '\\.')}/rhcos-layered@sha256:[0-9a-f]{64}\\.$`), 300_000);
    assert.deepEqual(pushed.buttons, ['Generate MachineConfig', 'Copy Reference']);
    const digest = /@(sha256:[0-9a-f]{64})/.exec(pushed.message)![1]!;
    await page.locator('.notifications-toasts .monaco-list-row', { hasText: 'Pushed' }).locator('.monaco-button', { hasText: 'Generate MachineConfig' }).first().click();

    await wb.quickInputTitle('Generate MachineConfig: pools');
    const pools = await wb.setQuickPicks();
    assert.deepEqual(pools, [{ label: 'worker', picked: true }, { label: 'master', picked: false }, { label: 'infra', picked: false }], 'the connected cluster\'s pools, worker picked');
    await wb.acceptQuickInput();
    const named = await wb.answerInputBox(undefined, 'Generate MachineConfig: name');
    assert.equal(named.value, 'os-layer-07-local-registry');
    await wb.waitForActiveEditor('os-layer-07-local-registry.yaml');
    await wb.waitForEditorText(`osImageURL: ${registry}/rhcos-layered@${digest}`);

    await wb.clickCodeLens('Apply os-layer-07-local-registry to cluster');
    const dialog = await wb.confirmDialog('Apply');
    assert.equal(dialog.message, 'Apply MachineConfig os-layer-07-local-registry to context admin?');
    // Custom pools take the worker MachineConfigs too, so infra rolls out as well: the confirmation says so.
    assert.match(dialog.detail, /Pools: infra \(1 node, 1 at a time\), worker \(8 nodes, 1 at a time\)\./);
    assert.match(dialog.detail, /Up to 9 nodes will be cordoned, drained and rebooted/);
    await wb.waitForNotification(/^Applied os-layer-07-local-registry to admin\./);
    const worker = page.locator('[id="workbench.parts.sidebar"] .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^worker$/ }) }).first();
    await worker.filter({ hasText: /Updating \d\/8/ }).waitFor({ timeout: 60_000 });
    await wb.screenshot('demo rollout');
  });

  it('Ctrl-C stops code-server, the registry and the simulator: no process is left', async function () {
    this.timeout(60_000);
    const started = descendants(demo!.pid!);
    assert.ok(started.some((entry) => /code-server/.test(entry.command)), `code-server runs under the demo: ${started.map((e) => e.command.slice(0, 80)).join(' | ')}`);
    const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));
    process.kill(-demo!.pid!, 'SIGINT');
    assert.equal(await exited, 130);
    assert.match(output, /demo: stopped\./);
    // The guard of code-server leaves its group last; wait for each process to be gone, not a fixed time.
    const deadline = Date.now() + 20_000;
    let left = started.filter((entry) => alive(entry.pid));
    while (left.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      left = left.filter((entry) => alive(entry.pid));
    }
    assert.deepEqual(left.map((entry) => `${entry.pid} ${entry.command.slice(0, 120)}`), [], 'processes the demo started and left running');
  });
});
