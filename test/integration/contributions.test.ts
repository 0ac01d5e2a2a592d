// The manifest's contributions are visible in VS Code. Data-driven: the tests are generated from package.json,
// so they grow with the manifest. NOT_YET_REGISTERED is a ratchet: it may only shrink.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, manifest, openFixture, registeredCommands, skipBecause, waitForActivation } from './helpers';

/**
 * Commands the manifest declares that no code registers yet. When you register one, remove it here: the test
 * "is registered" then checks it, and a command listed here that IS registered fails (so the list stays true).
 */
const NOT_YET_REGISTERED = new Set<string>([]);

/** Commands the extension registers on purpose without declaring them (internal helpers, e.g. for code actions). */
const INTERNAL_COMMANDS = new Set<string>([]);

/** Files of the fixture workspace and the language VS Code must give them. */
const LANGUAGE_OF_FIXTURE: Record<string, string> = {
  Containerfile: 'dockerfile',
  'variants/Containerfile.debug': 'dockerfile',
  'variants/usbguard.containerfile': 'dockerfile',
  'not-layering/Dockerfile': 'dockerfile',
  'machineconfig/99-worker-extensions.yaml': 'yaml',
};

const contributes = manifest().contributes;
const declaredCommands = (contributes.commands ?? []).map((entry) => entry.command);

describe('contributions', function () {
  let registered: Set<string>;

  before(async function () {
    await openFixture('Containerfile', { show: false });
    await waitForActivation();
    registered = await registeredCommands();
  });
  after(closeAllEditors);

  describe('commands', function () {
    for (const command of declaredCommands) {
      it(`${command} is registered`, function () {
        if (NOT_YET_REGISTERED.has(command)) {
          assert.ok(!registered.has(command), `${command} is registered now: remove it from NOT_YET_REGISTERED in test/integration/contributions.test.ts`);
          return skipBecause(this, 'listed in NOT_YET_REGISTERED');
        }
        assert.ok(registered.has(command), `${command} is declared in package.json but not registered after activation`);
      });
    }

    it('NOT_YET_REGISTERED lists only declared commands', function () {
      const stale = [...NOT_YET_REGISTERED].filter((command) => !declaredCommands.includes(command));
      assert.deepEqual(stale, [], 'these are no longer in package.json');
    });

    it('every registered rhcosLayering.* command is declared (or listed as internal)', function () {
      const undeclared = [...registered].filter((command) => command.startsWith('rhcosLayering.') && !declaredCommands.includes(command) && !INTERNAL_COMMANDS.has(command));
      // View commands VS Code generates (<view id>.focus, .resetViewLocation, .removeView, ...) are not ours to declare.
      const views = Object.values(contributes.views ?? {}).flat().map((view) => view.id);
      const ours = undeclared.filter((command) => !views.some((view) => command.startsWith(`${view}.`)));
      assert.deepEqual(ours, [], 'declare these in contributes.commands, or add them to INTERNAL_COMMANDS');
    });
  });

  describe('configuration', function () {
    const properties = contributes.configuration?.properties ?? {};
    for (const [key, schema] of Object.entries(properties)) {
      it(`${key} has its declared default`, function () {
        const inspected = vscode.workspace.getConfiguration().inspect(key);
        assert.ok(inspected, `VS Code does not know the setting ${key}`);
        assert.deepEqual(inspected.defaultValue, schema.default);
      });
    }
  });

  describe('languages', function () {
    for (const [file, language] of Object.entries(LANGUAGE_OF_FIXTURE)) {
      it(`${file} opens as ${language}`, async function () {
        const { document } = await openFixture(file, { show: false });
        assert.equal(document.languageId, language);
      });
    }
  });

  describe('views', function () {
    for (const [location, containers] of Object.entries(contributes.viewsContainers ?? {})) {
      for (const container of containers) {
        it(`view container ${container.id} (${location}) opens`, async function () {
          const command = `workbench.view.extension.${container.id}`;
          assert.ok(registered.has(command), `${command} is not registered`);
          await vscode.commands.executeCommand(command);
        });
      }
    }
    for (const views of Object.values(contributes.views ?? {})) {
      for (const view of views) {
        it(`view ${view.id} can be focused`, async function () {
          const command = `${view.id}.focus`;
          assert.ok(registered.has(command), `${command} is not registered`);
          await vscode.commands.executeCommand(command);
        });
      }
    }
    after(async function () {
      await vscode.commands.executeCommand('workbench.view.explorer');
    });
  });
});
