// Generate MachineOSConfig (on-cluster layering) writes the pool's MachineOSConfig next to the Containerfile, with the
// Containerfile rewritten to start FROM configs AS final, and the YAML checks find nothing to say about it.
//
// The command's second argument answers the prompts ({ pool, pushSpec, pushSecret, pullSecret }), as for scripted use.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { closeAllEditors, codeOf, fixtureUri, getExtensionApi, ourDiagnostics, setText, waitFor } from './helpers';

const PUSH_SPEC = 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest';
const ANSWERS = { pool: 'worker', pushSpec: PUSH_SPEC, pushSecret: 'builder-dockercfg-abcde', pullSecret: '' };

describe('Generate MachineOSConfig', function () {
  this.timeout(60_000);
  const containerfile = () => fixtureUri('generate/Containerfile');
  let output: vscode.Uri | undefined;
  let api: TestApi;

  before(async function () {
    api = await getExtensionApi<TestApi>();
  });

  after(async function () {
    await closeAllEditors();
    if (output && existsSync(output.fsPath)) {
      // Emptied and saved first: VS Code keeps the document open for a while, and the workspace index follows it.
      const document = await vscode.workspace.openTextDocument(output);
      await setText(document, '');
      await document.save();
      rmSync(output.fsPath, { force: true });
    }
  });

  it('writes the worker MachineOSConfig with the Containerfile as FROM configs AS final, and opens it', async function () {
    const written = await vscode.commands.executeCommand<vscode.Uri[] | undefined>('rhcosLayering.generateMachineOSConfig', containerfile(), ANSWERS);
    assert.equal(written?.length, 1, 'the command returns the file it wrote');
    output = written![0]!;
    assert.equal(vscode.Uri.joinPath(output, '..').toString(), vscode.Uri.joinPath(containerfile(), '..').toString(), 'next to the Containerfile');
    const text = readFileSync(output.fsPath, 'utf8');
    assert.match(text, /^apiVersion: machineconfiguration\.openshift\.io\/v1\nkind: MachineOSConfig\nmetadata:\n {2}name: worker\n/m);
    assert.match(text, /^ {2}machineConfigPool:\n {4}name: worker$/m);
    assert.match(text, /^ {2}imageBuilder:\n {4}imageBuilderType: Job$/m);
    assert.match(text, /^ {2}renderedImagePushSecret:\n {4}name: builder-dockercfg-abcde$/m);
    assert.ok(text.includes(`renderedImagePushSpec: ${PUSH_SPEC}`));
    assert.ok(!text.includes('baseImagePullSecret:'), 'no pull secret was given');
    assert.match(text, /content: \|-?\n {8}FROM configs AS final\n {8}RUN dnf install -y tmux && \\\n/);
    assert.ok(!text.includes('ocp-v4.0-art-dev'), 'the external base is replaced by the pool\'s rendered image');
    const editor = await waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === output!.toString()), { message: 'the generated file in an editor' });
    assert.equal(editor.document.languageId, 'yaml');
  });

  it('the generated MachineOSConfig is clean for the YAML checks and the embedded Containerfile rules', async function () {
    const document = await vscode.workspace.openTextDocument(output!);
    await api.machineConfigDiagnostics.lintNow(document);
    assert.deepEqual(ourDiagnostics(document.uri).map(codeOf), []);
  });

  it('a value the API would refuse is refused with the reason, and nothing is written', async function () {
    const folder = vscode.Uri.joinPath(containerfile(), '..').fsPath;
    const before = readdirSync(folder).sort();
    const written = await vscode.commands.executeCommand<vscode.Uri[] | undefined>('rhcosLayering.generateMachineOSConfig', containerfile(), { ...ANSWERS, pool: 'Not_A_Pool' });
    assert.equal(written, undefined);
    assert.deepEqual(readdirSync(folder).sort(), before);
  });
});
