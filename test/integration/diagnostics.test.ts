// Diagnostics a user sees for layering Containerfiles: rule ids, severities, exact ranges, links to the rule docs;
// nothing for an ordinary Dockerfile; the rhcosLayering.rules and rhcosLayering.targetVersion settings.
// Every wait is on languages.onDidChangeDiagnostics (waitForDiagnostics), never a sleep.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { closeAllEditors, codeOf, FIRST_LINT_MS, getExtensionApi, openFixture, ourDiagnostics, rangeOf, seen, waitForDiagnostics, withSettings } from './helpers';

const rules = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.map(codeOf).sort();

describe('diagnostics', function () {
  // Generous: the waits inside have their own timeouts and messages, and CI machines are loaded.
  this.timeout(60_000);
  let api: TestApi;
  before(async function () {
    api = await getExtensionApi<TestApi>();
  });
  after(closeAllEditors);

  it('a release-payload base, a realtime kernel RPM and systemctl start: one finding each, with rule ids, severities and exact ranges', async function () {
    const { document } = await openFixture('layering/release-payload.Containerfile');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => all.filter((d) => d.source === 'rhcos-layering').length >= 3, FIRST_LINT_MS);
    const image = rangeOf(document, 1, 'quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64');
    const rpm = rangeOf(document, 2, 'kernel-rt-core');
    assert.deepEqual(seen(diagnostics.filter((d) => d.source === 'rhcos-layering')), [
      { rule: 'from-release-image', severity: 'Error', range: image },
      { rule: 'multiple-kernels', severity: 'Error', range: rpm },
      { rule: 'systemctl-runtime', severity: 'Warning', range: rangeOf(document, 2, 'systemctl start') },
    ]);
    assert.match(diagnostics.find((d) => codeOf(d) === 'from-release-image')!.message, /is a release payload, not an OS image/);
    assert.match(diagnostics.find((d) => codeOf(d) === 'multiple-kernels')!.message, /`kernel-rt-core` adds a second kernel/);
    assert.equal(api.diagnostics.resultFor(document)?.layeringReason, 'base-image');
  });

  it('each diagnostic links its rule id to the rule\'s documentation page shipped with the extension', async function () {
    const { document } = await openFixture('layering/release-payload.Containerfile');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => all.length >= 3, FIRST_LINT_MS);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'rhcos-layering');
      assert.equal(typeof diagnostic.code, 'object', 'the code carries a target link');
      const code = diagnostic.code as { value: string; target: vscode.Uri };
      assert.ok(code.target.path.endsWith(`/docs/rules/${code.value}.md`), `${code.value} links to ${code.target.toString()}`);
      await vscode.workspace.fs.stat(code.target); // the page exists in the installed extension
    }
  });

  it('systemctl enable --now: a warning on exactly `--now`', async function () {
    const { document } = await openFixture('layering/systemctl.Containerfile');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => all.length > 0, FIRST_LINT_MS);
    assert.deepEqual(seen(diagnostics), [{ rule: 'systemctl-runtime', severity: 'Warning', range: rangeOf(document, 3, '--now') }]);
    assert.match(diagnostics[0]!.message, /`--now` also starts firewalld/);
    assert.equal(api.diagnostics.resultFor(document)?.layeringReason, 'marker', 'the `# rhcos-layering` comment marks it');
  });

  it('an ordinary application Dockerfile gets no diagnostics at all', async function () {
    const { document } = await openFixture('not-layering/Dockerfile');
    const result = await api.diagnostics.lintNow(document);
    assert.ok(result, 'it is linted (it is a Dockerfile-language document)');
    assert.equal(result.layeringReason, undefined, 'not a layering Containerfile');
    assert.deepEqual(result.findings, []);
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri).map((d) => `${d.source}: ${d.message}`), []);
  });

  it('a layering Containerfile without mistakes gets none either', async function () {
    const { document } = await openFixture('generate/Containerfile');
    const result = await api.diagnostics.lintNow(document);
    assert.equal(result?.layeringReason, 'base-image');
    assert.deepEqual(ourDiagnostics(document.uri), []);
  });

  it('an RPM that a MachineConfig in the workspace enables as an extension: extension-package names that MachineConfig', async function () {
    // machineconfig/99-worker-extensions.yaml enables usbguard for pool worker; the Containerfile installs it too.
    const { document } = await openFixture('Containerfile');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => all.length > 0, FIRST_LINT_MS);
    assert.deepEqual(seen(diagnostics), [{ rule: 'extension-package', severity: 'Error', range: rangeOf(document, 3, 'usbguard') }]);
    assert.match(diagnostics[0]!.message, /^`usbguard` conflicts with MachineConfig 99-worker-extensions \(pool worker\), which enables the extension `usbguard`/);
  });

  describe('settings', function () {
    it('rhcosLayering.rules raises a severity and turns a rule off; removing the override brings the defaults back', async function () {
      const { document } = await openFixture('layering/release-payload.Containerfile');
      const defaults = seen(await waitForDiagnostics(document.uri, (all) => all.length >= 3, FIRST_LINT_MS));
      await withSettings({ 'rhcosLayering.rules': { 'systemctl-runtime': 'error', 'from-release-image': 'off', 'multiple-kernels': 'info' } }, async () => {
        const changed = await waitForDiagnostics(document.uri, (all) => !all.some((d) => codeOf(d) === 'from-release-image'));
        assert.deepEqual(seen(changed), [
          { ...defaults[1]!, rule: 'multiple-kernels', severity: 'Information' },
          { ...defaults[2]!, rule: 'systemctl-runtime', severity: 'Error' },
        ]);
      });
      const restored = await waitForDiagnostics(document.uri, (all) => all.some((d) => codeOf(d) === 'from-release-image'));
      assert.deepEqual(seen(restored), defaults);
    });

    it('rhcosLayering.targetVersion: missing-commit-or-lint asks for `ostree container commit` at 4.16 and `bootc container lint` at 4.19', async function () {
      const { document } = await openFixture('layering/unfinished.Containerfile');
      const run = rangeOf(document, 1, 'RUN');
      const messageFor = async (version: string) =>
        withSettings({ 'rhcosLayering.targetVersion': version }, async () => {
          const [diagnostic] = await waitForDiagnostics(document.uri, (all) => all.some((d) => d.message.includes(`OpenShift ${version},`)), FIRST_LINT_MS);
          assert.deepEqual(seen([diagnostic!]), [{ rule: 'missing-commit-or-lint', severity: 'Warning', range: run }]);
          return diagnostic!.message;
        });
      assert.equal(await messageFor('4.16'), 'For OpenShift 4.16, end the build with `ostree container commit`: no RUN of the final image runs it. Append it to the last RUN that changes files.');
      assert.equal(await messageFor('4.19'), 'For OpenShift 4.19, end the build with `bootc container lint`: no RUN of the final image runs it. Append it to the last RUN that changes files.');
      const ids = await waitForDiagnostics(document.uri, (all) => !all.some((d) => /OpenShift 4\.1[69],/.test(d.message)));
      assert.deepEqual(rules(ids), ['missing-commit-or-lint'], 'back to the default target version');
    });

    it('rhcosLayering.lint.enable false clears the diagnostics; true brings them back', async function () {
      const { document } = await openFixture('layering/systemctl.Containerfile');
      await waitForDiagnostics(document.uri, (all) => all.length > 0, FIRST_LINT_MS);
      await withSettings({ 'rhcosLayering.lint.enable': false }, async () => {
        await waitForDiagnostics(document.uri, (all) => all.length === 0);
      });
      await waitForDiagnostics(document.uri, (all) => all.length > 0);
    });
  });
});
