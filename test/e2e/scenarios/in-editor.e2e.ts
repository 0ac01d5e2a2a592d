// Runs the in-editor suites (test/integration/*.test.ts) inside code-server's extension host through the runner
// extension, once per session kind, and reports every in-editor test as a test of its own here. The suites need the
// extension's services, which it gives only in ExtensionMode.Test: these sessions run it under test (extensionMode
// 'test'), so they are not the sessions the Playwright scenarios use (those run the .vsix as installed).
// Every session kind runs in two code-server releases: the current one, and the one built on the oldest VS Code that
// engines.vscode claims.
import Mocha from 'mocha';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { codeServerVersion, oldestCodeServerVersion } from '../../../scripts/code-server.mjs';
import type { RunResult, TestResult } from '../../runner-extension/src/protocol';
import { repoRoot, resultsRoot } from '../harness/config';
import type { SessionOptions } from '../harness/code-server';
import { useClusterSession } from '../harness/cluster';
import { useWorkbench } from '../harness/sessions';

const SESSIONS: { label: string; options: SessionOptions | 'cluster'; suites?: string[] }[] = [
  { label: 'trusted workspace', options: { name: 'under-test', extensionMode: 'test' } },
  { label: 'Restricted Mode', options: { name: 'under-test-restricted', trust: 'enabled', trustAnswer: 'restrict', extensionMode: 'test' } },
  // The cluster suite against the run's simulated cluster (the one the cluster scenarios use too). Only that suite: a
  // connected cluster changes what the others check (its version, pools and base image feed the rules).
  { label: 'simulated cluster', options: 'cluster', suites: ['cluster'] },
];

/** The oldest VS Code the extension claims, as [major, minor], from engines.vscode ("^1.108.0"). */
const engine = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { vscode: string } }).engines.vscode;
const claimed = /^\^(\d+)\.(\d+)\.\d+$/.exec(engine)?.slice(1).map(Number) ?? [];
const majorMinor = (version: string) => version.split('.').slice(0, 2).map(Number);

const RELEASES: { label: string; codeServerVersion?: string; oldest: boolean }[] = [
  { label: '', oldest: false },
  // Only the in-editor suites run in the oldest release: they exercise the API surface the extension uses, which is
  // what an older VS Code could lack; the Playwright scenarios check the workbench UI, which is the current release's.
  ...(oldestCodeServerVersion === codeServerVersion ? [] : [{ label: `, code-server ${oldestCodeServerVersion}`, codeServerVersion: oldestCodeServerVersion, oldest: true }]),
];

function replay(test: TestResult): Mocha.Func {
  return function (this: Mocha.Context) {
    if (test.state === 'pending') {
      if (test.pendingReason) this.test!.title += ` (skipped in the editor: ${test.pendingReason})`;
      this.skip();
    }
    if (test.state === 'failed') {
      const error = new Error(test.error?.message ?? 'failed in the extension host') as Error & { actual?: string; expected?: string; showDiff?: boolean };
      if (test.error?.stack) error.stack = test.error.stack;
      if (test.error?.actual !== undefined) Object.assign(error, { actual: test.error.actual, expected: test.error.expected, showDiff: true });
      throw error;
    }
  };
}

for (const release of RELEASES) for (const { label, options, suites } of SESSIONS) {
  describe(`in-editor suites (${label}${release.label})`, function () {
    const inRelease = release.codeServerVersion ? { codeServerVersion: release.codeServerVersion } : {};
    const workbench = useWorkbench(options === 'cluster' ? useClusterSession({ name: 'cluster-under-test', extensionMode: 'test', ...inRelease }).options : { ...options, ...inRelease });
    let result: RunResult;

    before(async function () {
      this.timeout(600_000);
      const resultsPath = path.join(resultsRoot, 'in-editor', `${workbench().session.name}.json`);
      result = await workbench().runInEditorSuites({ resultsPath, ...(suites ? { suites } : {}), ...(process.env.E2E_IN_EDITOR_GREP ? { grep: process.env.E2E_IN_EDITOR_GREP } : {}) });
      // Tests added in a before-all hook run after it: one mocha test per in-editor test.
      const suite = this.test!.parent!;
      for (const test of result.tests) suite.addTest(new Mocha.Test(test.titlePath.join(' › '), replay(test)));
    });

    it('the runner ran the suites', async function () {
      assert.equal(result.fatal, undefined, `the in-editor run failed outside a test:\n${result.fatal}`);
      assert.ok(result.stats.tests > 0, `no in-editor tests ran (suites: ${result.suites.join(', ')})`);
      assert.equal(result.workspaceTrusted, workbench().session.info.expectTrusted, 'workspace trust in the extension host');
      const running = workbench().runner.ready.vscodeVersion;
      assert.equal(claimed.length, 2, `engines.vscode is "${engine}"; expected the form ^MAJOR.MINOR.PATCH`);
      if (release.oldest) {
        assert.deepEqual(majorMinor(running), claimed, `code-server ${release.codeServerVersion} runs VS Code ${running}, but engines.vscode says ${engine}: the oldest release the suites run in must be the one engines.vscode names (scripts/code-server.mjs, oldestCodeServerVersion)`);
      } else {
        const [major, minor] = majorMinor(running) as [number, number];
        assert.ok(major > claimed[0]! || (major === claimed[0] && minor >= claimed[1]!), `VS Code ${running} is older than engines.vscode ${engine}`);
      }
      await workbench().screenshot('in-editor suites done');
    });
  });
}
