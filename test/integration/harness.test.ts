// The in-editor helpers themselves, and what the harness promises the suites (env vars reach the extension host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyCodeAction,
  closeAllEditors,
  codeActions,
  fixtureUri,
  fixtureWorkspace,
  harness,
  hoverTexts,
  openFixture,
  runCommand,
  setText,
  skipBecause,
  waitFor,
  waitForDiagnostics,
  waitForEvent,
  withSettings,
} from './helpers';

describe('harness', function () {
  const collection = vscode.languages.createDiagnosticCollection('rhcos-layering-harness-test');
  after(async function () {
    collection.dispose();
    await closeAllEditors();
  });

  it('opens the fixture workspace', function () {
    assert.ok(fixtureWorkspace());
    assert.equal(vscode.workspace.asRelativePath(fixtureUri('Containerfile')), 'Containerfile');
  });

  it('passes environment variables through to the extension host', function () {
    const info = harness();
    if (info.kind !== 'code-server') return skipBecause(this, 'the env probe is set by the code-server harness');
    assert.equal(process.env.RHCOS_E2E_ENV_PROBE, info.envProbe);
  });

  it('keeps the developer\'s kubeconfig and registry auth out of the extension host', function () {
    const info = harness();
    if (info.kind !== 'code-server') return skipBecause(this, 'the code-server harness isolates HOME');
    assert.equal(process.env.HOME, info.home);
    for (const name of ['KUBECONFIG', 'REGISTRY_AUTH_FILE', 'DOCKER_CONFIG'].filter((n) => !info.passedEnv.includes(n))) assert.equal(process.env[name], undefined, `${name} leaked into the extension host`);
  });

  it('waitForDiagnostics resolves when matching diagnostics arrive', async function () {
    const uri = fixtureUri('harness-selftest/problems.txt');
    const arrived = waitForDiagnostics(uri, (diagnostics) => diagnostics.some((d) => d.message === 'second'), 5_000);
    collection.set(uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 3), 'first')]);
    setTimeout(() => collection.set(uri, [new vscode.Diagnostic(new vscode.Range(1, 0, 1, 4), 'second', vscode.DiagnosticSeverity.Warning)]), 100);
    const diagnostics = await arrived;
    assert.equal(diagnostics[0]?.message, 'second');
  });

  it('waitForDiagnostics times out with the diagnostics the file has', async function () {
    const uri = fixtureUri('harness-selftest/problems.txt');
    collection.set(uri, [new vscode.Diagnostic(new vscode.Range(2, 0, 2, 4), 'unrelated')]);
    await assert.rejects(waitForDiagnostics(uri, () => false, 300), /Timed out after 300 ms waiting for diagnostics of harness-selftest\/problems\.txt.*\n.*3:1 Error \[\?\] unrelated/);
  });

  it('waitFor and waitForEvent time out with what they waited for', async function () {
    await assert.rejects(waitFor(() => false, { timeoutMs: 100, message: 'nothing' }), /Timed out after 100 ms waiting for nothing/);
    const emitter = new vscode.EventEmitter<number>();
    const seen = waitForEvent(emitter.event, (value) => value > 1, { timeoutMs: 2_000 });
    emitter.fire(1);
    emitter.fire(2);
    assert.equal(await seen, 2);
    await assert.rejects(waitForEvent(emitter.event, () => true, { timeoutMs: 100, message: 'a number' }), /waiting for a number/);
  });

  it('openFixture shows the file and runCommand refuses unknown commands', async function () {
    const { editor } = await openFixture('variants/Containerfile.debug');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor?.document.uri.toString());
    await assert.rejects(runCommand('rhcosLayering.noSuchCommand'), /rhcosLayering\.noSuchCommand is not registered/);
  });

  it('withSettings changes a setting and restores it', async function () {
    const key = 'rhcosLayering.lint.debounceMs';
    const before = vscode.workspace.getConfiguration().inspect(key)?.globalValue;
    await withSettings({ [key]: 42 }, async () => assert.equal(vscode.workspace.getConfiguration().get(key), 42));
    assert.equal(vscode.workspace.getConfiguration().inspect(key)?.globalValue, before);
  });

  it('codeActions/applyCodeAction and hoverTexts go through VS Code\'s provider commands', async function () {
    const selector: vscode.DocumentSelector = { pattern: '**/harness-selftest/problems.txt' };
    const providers = [
      vscode.languages.registerCodeActionsProvider(selector, {
        provideCodeActions(document, range) {
          const fix = new vscode.CodeAction('Write the number', vscode.CodeActionKind.QuickFix);
          fix.edit = new vscode.WorkspaceEdit();
          fix.edit.replace(document.uri, document.lineAt(range.start.line).range, 'line 2');
          return [fix];
        },
      }),
      vscode.languages.registerHoverProvider(selector, { provideHover: () => new vscode.Hover(new vscode.MarkdownString('**harness** hover')) }),
    ];
    const { document } = await openFixture('harness-selftest/problems.txt');
    const original = document.getText();
    try {
      const [fix] = await codeActions(document.uri, new vscode.Range(1, 0, 1, 4));
      assert.equal(fix?.title, 'Write the number');
      await applyCodeAction(fix!);
      assert.equal(document.lineAt(1).text, 'line 2');
      assert.ok((await hoverTexts(document.uri, new vscode.Position(0, 1))).includes('**harness** hover'));
    } finally {
      providers.forEach((provider) => provider.dispose());
      await setText(document, original);
      await document.save();
    }
  });
});
