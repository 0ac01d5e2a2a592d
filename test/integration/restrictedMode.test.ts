// Restricted Mode (an untrusted workspace): linting, hovers and quick fixes keep working; commands that run tools or
// read credentials the workspace names (Build and Push) refuse before they ask anything. In a trusted workspace the
// tests that need Restricted Mode are skipped with the reason; the e2e run has a Restricted Mode session for them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors, codeActions, codeOf, FIRST_LINT_MS, fixtureUri, hoverTexts, openFixture, skipBecause, waitFor, waitForDiagnostics,
} from './helpers';

describe('workspace trust', function () {
  // Generous: the waits inside have their own timeouts and messages, and CI machines are loaded.
  this.timeout(60_000);
  after(closeAllEditors);

  it('linting, hovers and quick fixes work whatever the trust state', async function () {
    const { document } = await openFixture('layering/release-payload.Containerfile');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => all.length >= 3, FIRST_LINT_MS);
    assert.deepEqual(diagnostics.map(codeOf).sort(), ['from-release-image', 'multiple-kernels', 'systemctl-runtime']);
    const hover = await hoverTexts(document.uri, new vscode.Position(1, 10));
    assert.ok(hover.some((text) => text.startsWith('**Base image**')), hover.join('\n'));
    const fixes = await codeActions(document.uri, diagnostics[0]!.range);
    assert.ok(fixes.some((fix) => fix.title.startsWith('Ignore ')), fixes.map((f) => f.title).join(' | '));
  });

  /**
   * Runs a command that must refuse in Restricted Mode. The refusal is a warning notification the command waits on
   * ("Manage Workspace Trust"); closing notifications answers it, so the command finishes. Had the command gone on to
   * a prompt or a modal instead, closing notifications would not finish it and this wait would time out.
   */
  async function refuses(command: string, ...args: unknown[]): Promise<void> {
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand(command, ...args)).finally(() => {
      settled = true;
    });
    try {
      await waitFor(
        async () => {
          if (!settled) await vscode.commands.executeCommand('notifications.clearAll');
          return settled;
        },
        { timeoutMs: 30_000, intervalMs: 200, message: `${command} to give up once its notification is closed (did it open a prompt instead?)` },
      );
      assert.equal(await running, undefined);
    } finally {
      if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
  }

  it('in Restricted Mode, Build and Push refuses with a warning before asking for a destination', async function () {
    if (vscode.workspace.isTrusted) return skipBecause(this, 'the workspace is trusted here (the e2e Restricted Mode session runs this)');
    await refuses('rhcosLayering.buildAndPush', fixtureUri('generate/Containerfile'));
  });

  it('in Restricted Mode, the cluster writes (Apply to Cluster, Roll Back) refuse before connecting or confirming', async function () {
    if (vscode.workspace.isTrusted) return skipBecause(this, 'the workspace is trusted here (the e2e Restricted Mode session runs this)');
    await refuses('rhcosLayering.applyToCluster', fixtureUri('machineconfig/50-tagged-worker.yaml'));
    await refuses('rhcosLayering.rollBack');
  });
});
