// Quick fixes as the light bulb offers them (vscode.executeCodeActionProvider over every provider), applied with
// workspace.applyEdit, and what they do to the diagnostics. Each test reverts the fixture it edited.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyCodeAction, closeAllEditors, codeActions, codeOf, FIRST_LINT_MS, openFixture, rangeOf, revertDocument, seen, waitForDiagnostics, waitForLint,
} from './helpers';

const ours = (all: readonly vscode.Diagnostic[]) => all.filter((d) => d.source === 'rhcos-layering');

/** Our diagnostics of the document's current text (at least `atLeast` of them). */
async function diagnosticsOf(document: vscode.TextDocument, atLeast = 1): Promise<vscode.Diagnostic[]> {
  await waitForLint(document);
  return ours(await waitForDiagnostics(document.uri, (all) => ours(all).length >= atLeast, FIRST_LINT_MS));
}

/**
 * The quick fixes offered on a diagnostic's range, as the light bulb asks for them (VS Code passes the diagnostics at
 * the range in the context). The provider command does not return which diagnostic an action is for, so actions for
 * other diagnostics at the same range come too.
 */
async function actionsFor(document: vscode.TextDocument, rule: string): Promise<{ diagnostic: vscode.Diagnostic; actions: vscode.CodeAction[] }> {
  const diagnostic = (await diagnosticsOf(document)).find((d) => codeOf(d) === rule);
  assert.ok(diagnostic, `no ${rule} diagnostic in ${vscode.workspace.asRelativePath(document.uri)}`);
  return { diagnostic, actions: await codeActions(document.uri, diagnostic.range) };
}

function titled(actions: readonly vscode.CodeAction[], title: string): vscode.CodeAction {
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action, `no code action "${title}"; offered: ${actions.map((a) => a.title).join(' | ')}`);
  return action;
}

describe('quick fixes', function () {
  // Generous: the waits inside have their own timeouts and messages, and CI machines are loaded.
  this.timeout(60_000);
  after(closeAllEditors);

  describe('Containerfile', function () {
    it('offers the rule\'s fix, both ignores and the documentation for a finding, the fix first and preferred', async function () {
      const { document } = await openFixture('layering/systemctl.Containerfile');
      const { actions } = await actionsFor(document, 'systemctl-runtime');
      assert.deepEqual(actions.map((a) => a.title), [
        'Remove `--now`',
        'Ignore systemctl-runtime on this line',
        'Ignore systemctl-runtime in this file',
        'Show documentation for systemctl-runtime',
      ]);
      assert.equal(actions[0]!.isPreferred, true);
      assert.ok(actions.every((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value));
      assert.deepEqual(actions[3]!.command && { command: actions[3]!.command.command, arguments: actions[3]!.command.arguments }, { command: 'rhcosLayering.showRuleDocumentation', arguments: ['systemctl-runtime'] });
    });

    it('the rule\'s fix "Remove `--now`" edits the RUN and the warning goes away', async function () {
      const { document } = await openFixture('layering/systemctl.Containerfile');
      try {
        const { actions } = await actionsFor(document, 'systemctl-runtime');
        await applyCodeAction(titled(actions, 'Remove `--now`'));
        assert.equal(document.lineAt(3).text, '    systemctl enable firewalld && \\');
        await waitForDiagnostics(document.uri, (all) => ours(all).length === 0);
      } finally {
        await revertDocument(document);
      }
      await diagnosticsOf(document); // the reverted text has its warning again
    });

    it('"Ignore <rule> on this line" adds a comment above the instruction: that finding goes, the others stay and move down a line', async function () {
      const { document } = await openFixture('layering/release-payload.Containerfile');
      const before = seen(await diagnosticsOf(document, 3));
      try {
        const { actions } = await actionsFor(document, 'from-release-image');
        await applyCodeAction(titled(actions, 'Ignore from-release-image on this line'));
        assert.equal(document.lineAt(1).text, '# rhcos-layering ignore=from-release-image');
        assert.match(document.lineAt(2).text, /^FROM quay\.io\/openshift-release-dev\/ocp-release:4\.16\.3-x86_64$/);
        const after = await waitForDiagnostics(document.uri, (all) => ours(all).length === 2 && !all.some((d) => codeOf(d) === 'from-release-image'));
        const moved = before.filter((d) => d.rule !== 'from-release-image').map((d) => ({ ...d, range: [d.range[0] + 1, d.range[1], d.range[2] + 1, d.range[3]] }));
        assert.deepEqual(seen(ours(after)), moved);
      } finally {
        await revertDocument(document);
      }
    });

    it('a second "Ignore on this line" extends the same comment', async function () {
      const { document } = await openFixture('layering/release-payload.Containerfile');
      await diagnosticsOf(document, 3);
      try {
        await applyCodeAction(titled((await actionsFor(document, 'multiple-kernels')).actions, 'Ignore multiple-kernels on this line'));
        await waitForDiagnostics(document.uri, (all) => !all.some((d) => codeOf(d) === 'multiple-kernels'));
        await applyCodeAction(titled((await actionsFor(document, 'systemctl-runtime')).actions, 'Ignore systemctl-runtime on this line'));
        assert.equal(document.lineAt(2).text, '# rhcos-layering ignore=multiple-kernels,systemctl-runtime');
        const after = await waitForDiagnostics(document.uri, (all) => !all.some((d) => codeOf(d) === 'systemctl-runtime'));
        assert.deepEqual(ours(after).map(codeOf).sort(), ['from-release-image']);
      } finally {
        await revertDocument(document);
      }
    });

    it('"Ignore <rule> in this file" adds an ignore-file comment at the top: every finding of that rule goes', async function () {
      const { document } = await openFixture('layering/release-payload.Containerfile');
      await diagnosticsOf(document, 3);
      try {
        await applyCodeAction(titled((await actionsFor(document, 'systemctl-runtime')).actions, 'Ignore systemctl-runtime in this file'));
        assert.equal(document.lineAt(0).text, '# rhcos-layering ignore-file=systemctl-runtime');
        const after = await waitForDiagnostics(document.uri, (all) => ours(all).length === 2 && !all.some((d) => codeOf(d) === 'systemctl-runtime'));
        assert.deepEqual(ours(after).map(codeOf).sort(), ['from-release-image', 'multiple-kernels']);
      } finally {
        await revertDocument(document);
      }
    });

    it('a release payload in FROM: offline, the first fix inserts the command that prints its rhel-coreos image; no pin', async function () {
      const { document } = await openFixture('layering/release-payload.Containerfile');
      try {
        const { actions } = await actionsFor(document, 'from-release-image');
        const first = actions[0]!;
        assert.equal(first.title, 'Insert the command that prints this release\'s rhel-coreos image');
        assert.equal(first.isPreferred, true);
        assert.ok(!actions.some((action) => /^Pin /.test(action.title)), actions.map((a) => a.title).join(' | '));
        await applyCodeAction(first);
        assert.equal(document.lineAt(1).text, '# The OS image of this release, to use in FROM: oc adm release info --image-for rhel-coreos quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64');
      } finally {
        await revertDocument(document);
      }
    });

    it('a tag in FROM offers "Pin … to its digest" (preferred), a command with the document, the image\'s range and the image', async function () {
      const { document } = await openFixture('layering/tagged.Containerfile');
      const { diagnostic, actions } = await actionsFor(document, 'from-not-digest');
      const image = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.16';
      const pin = titled(actions, `Pin ${image} to its digest`);
      assert.equal(pin.isPreferred, true);
      assert.equal(pin.edit, undefined, 'it resolves the digest when chosen, so it is a command');
      assert.equal(pin.command?.command, 'rhcosLayering.pinToDigest');
      const [uri, range, text] = pin.command!.arguments!;
      assert.equal(String(uri), document.uri.toString());
      assert.deepEqual(range, { start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character }, end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character } });
      assert.equal(text, image);
    });

    it('the source action "Generate MachineConfig from this Containerfile" calls the command with the file', async function () {
      const { document } = await openFixture('layering/systemctl.Containerfile');
      const actions = await codeActions(document.uri, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.Source);
      const generate = titled(actions, 'Generate MachineConfig from this Containerfile');
      assert.equal(generate.kind?.value, 'source.rhcosLayering');
      assert.equal(generate.command?.command, 'rhcosLayering.generateMachineConfig');
      assert.equal(String(generate.command?.arguments?.[0]), document.uri.toString());
    });
  });

  describe('MachineConfig YAML', function () {
    it('a tag in osImageURL: a warning on exactly the image, with "Pin … to its digest" for osImageURL', async function () {
      const { document } = await openFixture('machineconfig/50-tagged-worker.yaml');
      const diagnostics = await diagnosticsOf(document);
      const image = 'quay.io/example/rhcos-custom:latest';
      assert.deepEqual(seen(diagnostics), [{ rule: 'mc-os-image-not-digest', severity: 'Warning', range: rangeOf(document, 7, image) }]);
      assert.match(diagnostics[0]!.message, /^osImageURL uses the tag "latest"/);
      const { actions } = await actionsFor(document, 'mc-os-image-not-digest');
      assert.deepEqual(actions.map((a) => a.title), [`Pin ${image} to its digest`, 'Ignore mc-os-image-not-digest on this line', 'Show documentation for mc-os-image-not-digest']);
      assert.deepEqual(actions[0]!.command?.arguments?.slice(2), [image, { target: 'osImageURL' }]);
    });

    it('"Ignore on this line" in YAML adds an indented comment above the key and the warning goes', async function () {
      const { document } = await openFixture('machineconfig/50-tagged-worker.yaml');
      await diagnosticsOf(document);
      try {
        await applyCodeAction(titled((await actionsFor(document, 'mc-os-image-not-digest')).actions, 'Ignore mc-os-image-not-digest on this line'));
        assert.equal(document.lineAt(7).text, '  # rhcos-layering ignore=mc-os-image-not-digest');
        await waitForDiagnostics(document.uri, (all) => ours(all).length === 0);
      } finally {
        await revertDocument(document);
      }
    });

    it('a MachineConfig without the role label: an error on `name`, fixed by "Add the role label for pool …"', async function () {
      const { document } = await openFixture('machineconfig/60-no-role.yaml');
      const diagnostics = await diagnosticsOf(document);
      assert.deepEqual(seen(diagnostics), [{ rule: 'mc-role-label', severity: 'Error', range: rangeOf(document, 3, 'name') }]);
      assert.match(diagnostics[0]!.message, /has no machineconfiguration\.openshift\.io\/role label, so no MachineConfigPool selects it/);
      try {
        const { actions } = await actionsFor(document, 'mc-role-label');
        assert.deepEqual(actions.map((a) => a.title).slice(0, 2), ['Add the role label for pool worker', 'Add the role label for pool master']);
        // Pool master: machineconfig/50-tagged-worker.yaml already sets osImageURL for worker, so labelling this one
        // worker trades the error for mc-os-image-duplicate (checked below).
        await applyCodeAction(titled(actions, 'Add the role label for pool master'));
        assert.deepEqual([3, 4, 5].map((line) => document.lineAt(line).text), ['  labels:', '    machineconfiguration.openshift.io/role: master', '  name: 60-os-layer-no-role']);
        await waitForDiagnostics(document.uri, (all) => ours(all).length === 0);
      } finally {
        await revertDocument(document);
      }
    });

    it('labelling it for a pool that already has an osImageURL MachineConfig: mc-os-image-duplicate names both files', async function () {
      const { document } = await openFixture('machineconfig/60-no-role.yaml');
      await diagnosticsOf(document);
      try {
        await applyCodeAction(titled((await actionsFor(document, 'mc-role-label')).actions, 'Add the role label for pool worker'));
        const [duplicate, ...rest] = ours(await waitForDiagnostics(document.uri, (all) => all.some((d) => codeOf(d) === 'mc-os-image-duplicate')));
        assert.deepEqual(rest.map(codeOf), []);
        assert.deepEqual(seen([duplicate!]), [{ rule: 'mc-os-image-duplicate', severity: 'Warning', range: [7, document.lineAt(7).text.indexOf('"'), 7, document.lineAt(7).text.length] }], 'on the quoted osImageURL');
        assert.match(duplicate!.message, /^2 MachineConfigs set osImageURL for pool worker: 50-tagged-worker \(50-tagged-worker\.yaml\), 60-os-layer-no-role \(60-no-role\.yaml\)\./);
      } finally {
        await revertDocument(document);
      }
    });
  });
});
