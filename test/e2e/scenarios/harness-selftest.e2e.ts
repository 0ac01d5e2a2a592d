// The Playwright helpers themselves, against test doubles the runner extension contributes (fake diagnostics, a
// hover provider, a tree view alone in its view container like our Cluster view, a modal dialog, notifications). Later scenarios rely on these helpers for the real
// extension's diagnostics, hovers, cluster tree and confirmations.
import * as assert from 'node:assert/strict';
import type { SelftestDiagnostic, SelftestTreeNode } from '../../runner-extension/src/protocol';
import { useWorkbench } from '../harness/sessions';

describe('harness self-test', function () {
  const workbench = useWorkbench();

  it('runCommand runs a palette command by its label', async function () {
    await workbench().openFile('harness-selftest/hover.txt');
    await workbench().runCommand('View: Close All Editors');
    await workbench().page.locator('.editor-group-container .tab').waitFor({ state: 'detached' });
    await assert.rejects(workbench().runCommand('RHCOS Layering: No Such Command'), /The command palette has no command "RHCOS Layering: No Such Command"/);
  });

  it('problems() reads the Problems panel', async function () {
    const diagnostics: SelftestDiagnostic[] = [
      { line: 0, startCharacter: 4, endCharacter: 11, message: 'fake error from the self-test', severity: 'error', code: 'selftest-error', source: 'rhcos-layering-e2e' },
      { line: 2, startCharacter: 0, endCharacter: 4, message: 'fake warning from the self-test', severity: 'warning' },
    ];
    await workbench().executeCommand('rhcosLayeringE2e.selftest.setDiagnostics', { $uri: 'harness-selftest/problems.txt' }, diagnostics);
    const problems = await workbench().problems({ minimum: 2 });
    const error = problems.find((entry) => entry.message === 'fake error from the self-test');
    assert.ok(error, `problems: ${JSON.stringify(problems, null, 2)}`);
    assert.equal(error.file, 'problems.txt');
    assert.equal(error.folder, 'harness-selftest');
    assert.equal(error.severity, 'error');
    assert.equal(error.source, 'rhcos-layering-e2e');
    assert.equal(error.code, 'selftest-error');
    assert.deepEqual([error.line, error.column], [1, 5]);
    const warning = problems.find((entry) => entry.message === 'fake warning from the self-test');
    assert.equal(warning?.severity, 'warning');
    assert.deepEqual([warning?.line, warning?.column], [3, 1]);
    await workbench().executeCommand('rhcosLayeringE2e.selftest.setDiagnostics', { $uri: 'harness-selftest/problems.txt' }, []);
  });

  it('hover() shows and reads the hover at a position', async function () {
    await workbench().openFile('harness-selftest/hover.txt');
    const text = await workbench().hover(2, 8);
    assert.match(text, /E2E hover for beta at 2:8/);
  });

  it('treeItems() reads a tree view', async function () {
    const roots: SelftestTreeNode[] = [
      { label: 'worker', description: 'Updated', children: [{ label: 'worker-0', description: 'Done' }, { label: 'worker-1', description: 'Working' }] },
      { label: 'master', description: 'Updated' },
    ];
    await workbench().executeCommand('rhcosLayeringE2e.selftest.showTree', roots);
    const items = await workbench().treeItems('rhcosLayeringE2e.selftestTree', 'E2E Self-Test Tree', { minimum: 4 });
    assert.deepEqual(
      items.map((item) => [item.level, item.label, item.description]),
      [
        [1, 'worker', 'Updated'],
        [2, 'worker-0', 'Done'],
        [2, 'worker-1', 'Working'],
        [1, 'master', 'Updated'],
      ],
    );
    assert.equal(items[0]?.expanded, true);
    await workbench().executeCommand('rhcosLayeringE2e.selftest.showTree', []);
  });

  it('viewWelcome() reads the welcome content of our Cluster view', async function () {
    // The view has no tree provider yet; its "no kubeconfig" welcome shows when the context key is set.
    await workbench().executeCommand('setContext', 'rhcosLayering.noKubeconfig', true);
    const welcome = await workbench().viewWelcome('rhcosLayering.cluster', 'Cluster');
    assert.match(welcome.text, /^No kubeconfig found\./);
    assert.deepEqual(welcome.buttons, ['Open Settings', 'Retry']);
    await workbench().executeCommand('setContext', 'rhcosLayering.noKubeconfig', false);
  });

  it('confirmDialog() answers a modal dialog', async function () {
    await workbench().runner.executeCommand('rhcosLayeringE2e.selftest.modal', ['Roll back pool worker?', ['Roll Back', 'Keep']], { wait: false });
    const dialog = await workbench().confirmDialog('Roll Back');
    assert.equal(dialog.message, 'Roll back pool worker?');
    assert.ok(dialog.buttons.includes('Keep'), `buttons: ${dialog.buttons.join(', ')}`);
    const { answer } = await workbench().waitForCommandResult<{ answer?: string; count: number }>('rhcosLayeringE2e.selftest.lastModalAnswer', [], (result) => result.count > 0);
    assert.equal(answer, 'Roll Back');
  });

  it('waitForNotification() and notifications() read toasts', async function () {
    await workbench().executeCommand('rhcosLayeringE2e.selftest.notify', 'Pool worker finished updating', 'info', ['Show Pool']);
    const toast = await workbench().waitForNotification('Pool worker finished updating');
    assert.equal(toast.severity, 'info');
    assert.deepEqual(toast.buttons, ['Show Pool']);
    await workbench().executeCommand('rhcosLayeringE2e.selftest.notify', 'Pool worker is degraded', 'error');
    await workbench().waitForNotification(/degraded/);
    const all = await workbench().notifications();
    assert.ok(all.some((entry) => entry.severity === 'error' && entry.message === 'Pool worker is degraded'), JSON.stringify(all));
    await workbench().executeCommand('notifications.clearAll');
  });

  it('reloadWindow() starts a new extension host and follows its runner', async function () {
    const before = workbench().runner.ready.pid;
    await workbench().reloadWindow();
    assert.notEqual(workbench().runner.ready.pid, before);
    await workbench().openFile('Containerfile');
    await workbench().waitForExtensionActive();
  });
});
