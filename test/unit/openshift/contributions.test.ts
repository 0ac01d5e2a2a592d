import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string; when?: string }[]>; configuration: { properties: Record<string, { scope?: string }> } };
};

/** The command files (one per command) and the manifest agree; menus name declared commands; settings we read exist. */
describe('package.json contributions for generation, pinning and building', () => {
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  const ids = readdirSync(path.join(ROOT, 'src', 'commands'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts')
    .map((f) => /id: '([^']+)'/.exec(readFileSync(path.join(ROOT, 'src', 'commands', f), 'utf8'))?.[1])
    .filter((id): id is string => !!id);

  it('every command file is declared and registered in the table', () => {
    const index = readFileSync(path.join(ROOT, 'src', 'commands', 'index.ts'), 'utf8');
    for (const id of ids) assert.ok(declared.has(id), `${id} is not in contributes.commands`);
    for (const name of ['generateMachineConfig', 'generateMachineOSConfig', 'pinToDigest', 'buildAndPush']) assert.match(index, new RegExp(`\\n  ${name},\\n`));
  });

  it('menus name declared commands; Build and Push only in trusted workspaces', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) {
        assert.ok(declared.has(entry.command), `${menu}: ${entry.command}`);
        if (entry.command === 'rhcosLayering.buildAndPush') assert.match(entry.when ?? '', /isWorkspaceTrusted/, menu);
      }
    }
    for (const menu of ['editor/context', 'explorer/context', 'editor/title']) {
      assert.ok(manifest.contributes.menus[menu]!.some((e) => e.command === 'rhcosLayering.generateMachineConfig'), menu);
    }
  });

  it('the settings the commands read are declared, credentials and tools machine-scoped', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const key of ['registry.authFile', 'registry.insecureRegistries', 'registry.timeoutSeconds', 'build.tool', 'build.toolPath', 'build.extraArgs', 'pinDigest.keepTag', 'machineConfig.outputDirectory']) {
      assert.ok(properties[`rhcosLayering.${key}`], key);
    }
    for (const key of ['registry.authFile', 'registry.insecureRegistries', 'build.tool', 'build.toolPath', 'build.extraArgs']) assert.equal(properties[`rhcosLayering.${key}`]!.scope, 'machine', key);
  });
});
