import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Linter } from '../../../src/core/lint';
import type { Finding } from '../../../src/core/rules/types';
import { LineIndex, type TextEdit } from '../../../src/core/text';
import { lintMachineConfigYaml, lintYaml, YAML_RULES, type YamlLintOptions } from '../../../src/core/yamlLint';
import { osImageWinner } from '../../../src/core/rules/yaml/mcOsImageDuplicate';
import { machineConfigFactsOfText, type WorkspaceMachineConfig } from '../../../src/core/openshift/yamlDocuments';
import { factsFor } from '../../../src/core/openshift/versions';
import { fixtureText } from '../../helpers/fixtures';

const fixture = (name: string) => fixtureText(`machineconfigs/${name}`);
const DIGEST = `sha256:${'d0a75edb1e24b52a'.repeat(4)}`;
const v = (minor: number) => ({ major: 4 as const, minor });

/** `line:col-line:col code` with 1-based positions, as an editor shows them. */
function at(finding: Finding): string {
  const r = finding.range;
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${finding.ruleId}`;
}

function lint(text: string, options: YamlLintOptions = {}): Finding[] {
  return [...lintMachineConfigYaml(text, { targetVersion: v(18), ...options }).findings];
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  let out = text;
  for (const edit of [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start))) {
    out = out.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + out.slice(lines.offsetAt(edit.range.end));
  }
  return out;
}

function mc(name: string, pool: string | undefined, spec: string, extra = ''): string {
  const labels = pool ? `  labels:\n    machineconfiguration.openshift.io/role: ${pool}\n` : '';
  return `apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineConfig\nmetadata:\n  name: ${name}\n${labels}${extra}spec:\n${spec}`;
}


/** A kernel-rt RPM is reported by kernel-rt-package, or by multiple-kernels when it adds a second kernel. */
const KERNEL_RULES = ['kernel-rt-package', 'multiple-kernels'];
describe('MachineConfig YAML diagnostics', () => {
  it('every code has a documentation page', () => {
    for (const rule of YAML_RULES) assert.ok(existsSync(path.join(__dirname, '..', '..', '..', 'docs', 'rules', `${rule.id}.md`)), rule.id);
  });

  describe('osImageURL', () => {
    it('a tag: warning on exactly the value, with a pin-to-digest action for that range', () => {
      const [finding, ...rest] = lint(fixture('tagged-worker.yaml'));
      assert.deepEqual(rest, []);
      assert.equal(at(finding!), '8:15-8:50 mc-os-image-not-digest');
      assert.equal(finding!.severity, 'warning');
      assert.match(finding!.message, /tag "latest".*From 4\.18 the MCO also logs a warning/);
      assert.deepEqual(finding!.fixes, [{ kind: 'action', title: 'Pin quay.io/example/rhcos-custom:latest to its digest', preferred: true, action: { type: 'pin-digest', image: 'quay.io/example/rhcos-custom:latest', range: finding!.range } }]);
      assert.doesNotMatch(lint(fixture('tagged-worker.yaml'), { targetVersion: v(14) })[0]!.message, /4\.18/);
    });

    it('a quoted tag: the range excludes the quotes; a digest is fine', () => {
      const text = mc('x', 'worker', '  osImageURL: "quay.io/example/custom:1.0"\n');
      assert.deepEqual(lint(text).map(at), ['8:16-8:42 mc-os-image-not-digest']);
      assert.deepEqual(lint(mc('x', 'worker', `  osImageURL: quay.io/example/custom@${DIGEST}\n`)), []);
      assert.deepEqual(lint(mc('x', 'worker', `  osImageURL: ""\n`)), []);
    });

    it('an invalid reference: error on the offending part', () => {
      assert.deepEqual(lint(mc('x', 'worker', '  osImageURL: quay.io/Example/custom:1.0\n')).map(at), ['8:23-8:30 mc-os-image-invalid']);
      assert.deepEqual(lint(mc('x', 'worker', '  osImageURL: quay.io/my-registry/custom-image@sha256...\n')).map(at), ['8:48-8:57 mc-os-image-invalid']);
      assert.match(lint(mc('x', 'worker', '  osImageURL: "quay.io/x/y:${TAG}"\n'))[0]!.message, /nothing expands variables/);
    });
  });

  describe('role label', () => {
    it('missing: error on metadata.name, with fixes that insert the label (the pool the name suggests first)', () => {
      const text = fixture('no-role.yaml');
      const findings = lint(text, { otherMachineConfigs: machineConfigFactsOfText(mc('a', 'infra', '  kernelType: default\n'), '/w/a.yaml') });
      assert.deepEqual(findings.map(at), ['4:3-4:7 mc-role-label']);
      const fixes = findings[0]!.fixes!;
      assert.deepEqual(fixes.map((f) => [f.title, !!f.preferred]), [['Add the role label for pool infra', true], ['Add the role label for pool worker', false], ['Add the role label for pool master', false]]);
      const fixed = applyEdits(text, fixes[0]!.kind === 'edit' ? fixes[0]!.edits : []);
      assert.match(fixed, /metadata:\n {2}labels:\n {4}machineconfiguration\.openshift\.io\/role: infra\n {2}name: 99-infra-os-layer\n/);
      assert.deepEqual(lint(fixed), []);
    });

    it('missing with an existing labels map: the fix adds a line to it', () => {
      const text = mc('os-layer', undefined, `  osImageURL: quay.io/a/b@${DIGEST}\n`, '  labels:\n    app: x\n');
      const finding = lint(text)[0]!;
      const fixed = applyEdits(text, finding.fixes![0]!.kind === 'edit' ? finding.fixes![0]!.edits : []);
      assert.match(fixed, /labels:\n {4}machineconfiguration\.openshift\.io\/role: worker\n {4}app: x\n/);
      assert.deepEqual(lint(fixed), []);
    });

    it('unknown to the connected cluster: warning naming its pools; without a cluster custom pools are accepted', () => {
      const text = mc('x', 'infra', `  osImageURL: quay.io/a/b@${DIGEST}\n`);
      const findings = lint(text, { clusterPools: ['master', 'worker'], cluster: { context: 'prod' } });
      assert.deepEqual(findings.map((f) => `${at(f)} ${f.severity}`), ['6:45-6:50 mc-role-label warning']);
      assert.match(findings[0]!.message, /cluster \(prod\) has no pool "infra"; its pools are master, worker/);
      assert.deepEqual(lint(text), []);
      assert.deepEqual(lint(text, { clusterPools: ['master', 'worker', 'infra'] }), []);
    });

    it('obviously invalid or misspelt pools', () => {
      assert.match(lint(mc('x', 'Worker', '  kernelType: default\n'))[0]!.message, /"Worker" cannot be a pool name: it has uppercase letters/);
      const typo = lint(mc('x', 'workers', '  kernelType: default\n'))[0]!;
      assert.equal(typo.severity, 'warning');
      assert.match(typo.message, /did you mean worker/);
      assert.match(lint(mc('x', 'workers', '  kernelType: default\n'), { clusterPools: ['worker', 'master'] })[0]!.message, /Did you mean worker\?/);
    });

    it('rendered MachineConfigs (owned by a pool) are not flagged for the label', () => {
      const rendered = fixtureText('cluster/rendered-worker-4.16.machineconfig.yaml');
      assert.deepEqual(lint(rendered, { targetVersion: v(16) }).map(at), []);
    });
  });

  describe('extensions and kernelType per version', () => {
    const ext = (names: string[], minor: number) => lint(mc('x', 'worker', `  extensions:\n${names.map((n) => `  - ${n}\n`).join('')}`), { targetVersion: v(minor) });

    it('flags extensions the target version does not have, saying since or until when', () => {
      assert.deepEqual(ext(['usbguard', 'kerberos', 'kernel-devel', 'sandboxed-containers'], 13), []);
      const ipsec = ext(['ipsec'], 13);
      assert.deepEqual(ipsec.map(at), ['9:5-9:10 mc-extension-unsupported']);
      assert.match(ipsec[0]!.message, /"ipsec" is not supported at 4\.13.*invalid extensions found: \[ipsec\].*supported from 4\.14/);
      assert.match(ext(['sysstat'], 17)[0]!.message, /supported from 4\.18/);
      assert.deepEqual(ext(['sysstat'], 18), []);
      assert.match(ext(['two-node-ha'], 18)[0]!.message, /supported from 4\.19/);
      assert.deepEqual(ext(['wasm'], 21), []);
      assert.match(ext(['wasm'], 22)[0]!.message, /removed after 4\.21/);
      assert.match(ext(['nvidia'], 18)[0]!.message, /Supported at 4\.18: usbguard, kernel-devel/);
    });

    it('kernelType values per version: 64k-pages from 4.15', () => {
      const kernel = (type: string, minor: number) => lint(mc('x', 'worker', `  kernelType: ${type}\n`), { targetVersion: v(minor) });
      assert.deepEqual(kernel('64k-pages', 14).map(at), ['8:15-8:24 mc-kernel-type']);
      assert.match(kernel('64k-pages', 14)[0]!.message, /64k-pages is supported from 4\.15.*Valid at 4\.14: default, realtime/);
      assert.deepEqual(kernel('64k-pages', 15), []);
      assert.deepEqual(kernel('realtime', 13), []);
      assert.match(kernel('rt', 18)[0]!.message, /"rt" is not valid at 4\.18 \(valid values are default, realtime, 64k-pages\)/);
    });

    it('kernel-devel with a non-default kernel in one MachineConfig: both places flagged', () => {
      const findings = lint(fixture('extensions-kernel.yaml'), { targetVersion: v(14) });
      assert.deepEqual(findings.map(at), ['14:15-14:19 mc-file-mode', '24:7-24:14 mc-extension-unsupported', '25:7-25:19 mc-kernel-devel-kernel-type', '26:15-26:23 mc-kernel-devel-kernel-type']);
      assert.match(findings[2]!.message, /installing kernel-devel extension is not supported with kernelType: realtime/);
    });

    it('kernel-devel here and realtime in another MachineConfig of the pool', () => {
      const other = machineConfigFactsOfText(mc('50-rt', 'worker', '  kernelType: realtime\n'), '/w/rt.yaml');
      const findings = lint(mc('60-devel', 'worker', '  extensions:\n  - kernel-devel\n'), { otherMachineConfigs: other });
      assert.deepEqual(findings.map(at), ['9:5-9:17 mc-kernel-devel-kernel-type']);
      assert.match(findings[0]!.message, /50-rt \(rt\.yaml\) sets kernelType: realtime for pool worker/);
      const fromRt = lint(mc('50-rt', 'worker', '  kernelType: realtime\n'), { otherMachineConfigs: machineConfigFactsOfText(mc('60-devel', 'worker', '  extensions:\n  - kernel-devel\n'), '/w/d.yaml') });
      assert.deepEqual(fromRt.map(at), ['8:15-8:23 mc-kernel-devel-kernel-type']);
      // Another pool's kernel does not matter.
      assert.deepEqual(lint(mc('60-devel', 'worker', '  extensions:\n  - kernel-devel\n'), { otherMachineConfigs: machineConfigFactsOfText(mc('50-rt', 'master', '  kernelType: realtime\n'), '/w/m.yaml') }), []);
    });
  });

  describe('file modes (read as YAML 1.1, as oc does)', () => {
    const withMode = (mode: string) => mc('x', 'worker', `  config:\n    ignition:\n      version: 3.4.0\n    storage:\n      files:\n      - path: /etc/x\n        mode: ${mode}\n`);

    it('0644: warning with the decimal fix 420', () => {
      const findings = lint(withMode('0644'));
      assert.deepEqual(findings.map(at), ['14:15-14:19 mc-file-mode']);
      assert.match(findings[0]!.message, /oc reads it as octal \(420\), but YAML 1\.2 tools read it as decimal 644/);
      const fix = findings[0]!.fixes![0]!;
      assert.equal(fix.title, 'Write the mode as decimal 420 (0644)');
      assert.deepEqual(lint(applyEdits(withMode('0644'), fix.kind === 'edit' ? fix.edits : [])), []);
    });

    it('0755 becomes 493; strings and 0o prefixes are errors; out of range is an error; 420 is fine', () => {
      assert.match(lint(withMode('0755'))[0]!.message, /octal \(493\)/);
      for (const mode of ['"0644"', "'420'", '0o644']) {
        const [finding] = lint(withMode(mode));
        assert.equal(finding!.severity, 'error', mode);
        assert.match(finding!.message, /is not a number/);
      }
      assert.match(lint(withMode('0o644'))[0]!.message, /YAML 1\.1 has no 0o prefix.*Write 420/);
      assert.match(lint(withMode('99999'))[0]!.message, /not a file mode/);
      assert.deepEqual(lint(withMode('420')), []);
    });
  });

  describe('several MachineConfigs setting osImageURL for one pool', () => {
    const image = (n: string) => `quay.io/example/${n}@${DIGEST}`;
    const facts = (name: string, pool: string, extra: Partial<WorkspaceMachineConfig> = {}): WorkspaceMachineConfig => ({
      name, pool, extensions: [], kernelType: undefined, osImageURL: image(name), source: 'workspace', location: `/w/${name}.yaml`, ...extra,
    });

    it('same pool: name order wins at 4.14 and 4.15 alike; each file says which one the MCO uses', () => {
      const text = mc('b-layer', 'worker', `  osImageURL: ${image('b-layer')}\n`);
      for (const minor of [14, 15]) {
        const [finding] = lint(text, { targetVersion: v(minor), otherMachineConfigs: [facts('a-layer', 'worker'), facts('c-other', 'master')] });
        assert.equal(at(finding!), '8:15-8:110 mc-os-image-duplicate');
        assert.equal(finding!.severity, 'warning');
        assert.match(finding!.message, new RegExp(`2 MachineConfigs set osImageURL for pool worker: a-layer \\(a-layer\\.yaml\\), b-layer\\. At 4\\.${minor} .* so the pool gets this one`));
      }
      const loser = lint(mc('a-layer', 'worker', `  osImageURL: ${image('a-layer')}\n`), { otherMachineConfigs: [facts('b-layer', 'worker')] })[0]!;
      assert.match(loser.message, /the pool gets b-layer's image \(quay\.io\/example\/b-layer@sha256:d0a75edb1e24\), not this one/);
    });

    it('custom pool vs inherited worker MachineConfig: 4.14 merges by name (the worker one wins here), 4.15+ the pool\'s own', () => {
      const infra = mc('aa-infra-layer', 'infra', `  osImageURL: ${image('aa-infra-layer')}\n`);
      const others = [facts('zz-worker-layer', 'worker')];
      const old = lint(infra, { targetVersion: v(14), otherMachineConfigs: others })[0]!;
      assert.equal(old.severity, 'warning');
      assert.match(old.message, /At 4\.14 the MCO merges a pool's MachineConfigs in name order .* gets zz-worker-layer's image/);
      const current = lint(infra, { targetVersion: v(15), otherMachineConfigs: others })[0]!;
      assert.equal(current.severity, 'info');
      assert.match(current.message, /worker-role MachineConfigs first .* so the pool gets this one.*overrides them, as intended/);
      // The worker file hears about the infra pool too.
      const fromWorker = lint(mc('zz-worker-layer', 'worker', `  osImageURL: ${image('zz-worker-layer')}\n`), { targetVersion: v(14), otherMachineConfigs: [facts('aa-infra-layer', 'infra')] });
      assert.deepEqual(fromWorker.map((f) => f.severity), ['warning']);
      assert.match(fromWorker[0]!.message, /pool infra/);
    });

    it('winner computation, and 4.21+ ignores MachineConfigs generated by the controller', () => {
      const generated = facts('zz-generated', 'worker', { generatedByController: true });
      const configs = [facts('a', 'worker'), generated, facts('b', 'infra')];
      assert.equal(osImageWinner('worker', configs, factsFor(v(20)))!.winner.name, 'zz-generated');
      assert.equal(osImageWinner('worker', configs, factsFor(v(21)))!.winner.name, 'a');
      assert.equal(osImageWinner('infra', configs, factsFor(v(14)))!.winner.name, 'zz-generated');
      assert.equal(osImageWinner('infra', configs, factsFor(v(15)))!.winner.name, 'b');
      assert.equal(osImageWinner('master', configs, factsFor(v(15))), undefined);
    });

    it('the same image from several MachineConfigs (one generated per pool) is no conflict', () => {
      const worker = mc('os-layer-x', 'worker', `  osImageURL: ${image('same')}\n`);
      assert.deepEqual(lint(worker, { otherMachineConfigs: [facts('os-layer-x-infra', 'infra', { osImageURL: image('same') })] }), []);
    });

    it('a file with the same MachineConfig as the index (or the cluster) is not a duplicate of itself', () => {
      const text = mc('a-layer', 'worker', `  osImageURL: ${image('a-layer')}\n`);
      const self = machineConfigFactsOfText(text, '/w/a.yaml');
      const cluster = { ...facts('a-layer', 'worker'), source: 'cluster' as const, location: undefined };
      assert.deepEqual(lint(text, { location: '/w/a.yaml', otherMachineConfigs: [...self, cluster] }), []);
    });
  });

  describe('MachineOSConfig', () => {
    it('name must equal the pool; push spec must be a tag; the embedded content is linted in place', async () => {
      const text = fixture('layered.machineosconfig.yaml');
      const sync = lint(text);
      assert.deepEqual(sync.map(at), ['4:9-4:16 mosc-spec', '16:26-16:165 mosc-push-spec']);
      assert.deepEqual(sync[0]!.fixes, [{ kind: 'edit', title: 'Rename to worker', preferred: true, edits: [{ range: sync[0]!.range, newText: 'worker' }] }]);
      // Other Containerfile rules may report here too; this test is about the kernel-rt finding landing in place.
      const all = (await lintYaml(text, new Linter(), { targetVersion: v(18) })).findings.filter((f) => f.ruleId.startsWith('mosc-') || KERNEL_RULES.includes(f.ruleId));
      assert.deepEqual(all.map(at), ['4:9-4:16 mosc-spec', '12:30-12:44 multiple-kernels', '16:26-16:165 mosc-push-spec']);
      assert.equal(new LineIndex(text).lineText(11).slice(29, 43), 'kernel-rt-core');
    });

    it('API version per target version', () => {
      const text = fixture('layered.machineosconfig.yaml');
      assert.match(lint(text, { targetVersion: v(16) })[0]!.message, /4\.16 serves MachineOSConfig only as machineconfiguration\.openshift\.io\/v1alpha1/);
      assert.match(lint(text, { targetVersion: v(15) })[0]!.message, /4\.15 has no MachineOSConfig API/);
      const alpha = 'apiVersion: machineconfiguration.openshift.io/v1alpha1\nkind: MachineOSConfig\nmetadata:\n  name: worker\nspec:\n  machineConfigPool:\n    name: worker\n';
      assert.deepEqual(lint(alpha, { targetVersion: v(16) }), []);
      assert.deepEqual(lint(alpha, { targetVersion: v(18) }).map(at), ['1:13-1:55 mosc-api-version']);
    });

    it('containerFile limits: architectures, duplicates, 4096 characters, FROM configs', () => {
      const entry = (arch: string, content: string) => `  - containerfileArch: ${arch}\n    content: |-\n${content.split('\n').map((l) => `      ${l}`).join('\n')}\n`;
      const head = 'apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineOSConfig\nmetadata:\n  name: worker\nspec:\n  machineConfigPool:\n    name: worker\n  imageBuilder:\n    imageBuilderType: Job\n  renderedImagePushSecret:\n    name: push\n  renderedImagePushSpec: quay.io/org/os:latest\n  containerFile:\n';
      const ok = 'FROM configs AS final\nRUN true';
      assert.deepEqual(lint(head + entry('NoArch', ok)), []);
      const findings = lint(head + entry('x86_64', ok) + entry('AMD64', ok) + entry('AMD64', `FROM ${'quay.io/a/b'}\nRUN true`) + entry('ARM64', `FROM configs AS final\nRUN echo ${'x'.repeat(4100)}`));
      assert.deepEqual(findings.map(at), ['14:24-14:30 mosc-containerfile', '22:24-22:29 mosc-containerfile', '23:5-23:12 mosc-containerfile', '27:5-27:12 mosc-containerfile']);
      assert.deepEqual(findings[0]!.fixes!.map((f) => f.title), ['Use AMD64']);
      assert.match(findings[1]!.message, /Entries 2 and 3 are both for AMD64/);
      assert.match(findings[2]!.message, /must start with FROM configs AS final/);
      assert.match(findings[3]!.message, /4131 characters long; the API allows 4096/);
    });

    it('missing required fields, a wrong builder type, bad secret names', () => {
      const text = 'apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineOSConfig\nmetadata:\n  name: worker\nspec:\n  machineConfigPool:\n    name: worker\n  imageBuilder:\n    imageBuilderType: PodImageBuilder\n  renderedImagePushSecret:\n    name: Push_Secret\n';
      const findings = lint(text, { clusterPools: ['master'] });
      assert.deepEqual(findings.map(at), ['5:1-5:5 mosc-spec', '7:11-7:17 mosc-spec', '9:23-9:38 mosc-spec', '11:11-11:22 mosc-spec']);
      assert.match(findings[0]!.message, /spec is missing renderedImagePushSpec/);
      assert.match(findings[2]!.message, /PodImageBuilder was the v1alpha1 value/);
    });
  });

  describe('embedded Containerfiles: positions mapped exactly into the YAML scalar', () => {
    const linter = new Linter();
    const wrap = (content: string) => `apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineOSConfig\nmetadata:\n  name: worker\nspec:\n  machineConfigPool:\n    name: worker\n  imageBuilder:\n    imageBuilderType: Job\n  renderedImagePushSecret:\n    name: push\n  renderedImagePushSpec: quay.io/org/os:latest\n  containerFile:\n  - content: ${content}\n`;

    async function embedded(text: string) {
      // Only the kernel-rt findings: the other Containerfile rules (written elsewhere) may report on these snippets too.
      const findings = (await lintYaml(text, linter, { targetVersion: v(18) })).findings.filter((f) => KERNEL_RULES.includes(f.ruleId));
      const lines = new LineIndex(text);
      return findings.map((f) => ({ at: at(f), text: text.slice(lines.offsetAt(f.range.start), lines.offsetAt(f.range.end)), message: f.message }));
    }

    it('literal block with blank lines and deeper indentation', async () => {
      const text = wrap('|\n      FROM configs AS final\n\n      RUN dnf install -y tmux && \\\n          rpm-ostree install kernel-rt-kvm\n');
      assert.deepEqual((await embedded(text)).map((f) => [f.at, f.text]), [['18:30-18:43 kernel-rt-package', 'kernel-rt-kvm']]);
    });

    it('double-quoted content with \\n escapes and a folded line', async () => {
      const text = wrap('"FROM configs AS final\\nRUN rpm-ostree install \\\n      kernel-rt-core && ostree container commit"');
      assert.deepEqual((await embedded(text)).map((f) => [f.at, f.text]), [['15:7-15:21 multiple-kernels', 'kernel-rt-core']]);
      const single = wrap("'FROM configs AS final\n\n      RUN dnf install -y kernel-rt-core'");
      assert.deepEqual((await embedded(single)).map((f) => [f.at, f.text]), [['16:26-16:40 multiple-kernels', 'kernel-rt-core']]);
    });

    it('folded blocks fall back to the content line and name the embedded line', async () => {
      const text = wrap('>\n      FROM configs AS final\n\n      RUN dnf install -y kernel-rt-core\n');
      const [finding] = await embedded(text);
      assert.equal(finding!.at, '14:14-14:15 multiple-kernels');
      assert.match(finding!.message, /\(line 2 of the embedded Containerfile\)$/);
    });

    it('v1alpha1 buildInputs content is linted too', async () => {
      const text = 'apiVersion: machineconfiguration.openshift.io/v1alpha1\nkind: MachineOSConfig\nmetadata:\n  name: worker\nspec:\n  machineConfigPool:\n    name: worker\n  buildInputs:\n    containerFile:\n    - containerfileArch: noarch\n      content: |\n        FROM configs AS final\n        RUN rpm-ostree install kernel-rt-core\n';
      const findings = (await lintYaml(text, linter, { targetVersion: v(16) })).findings.filter((f) => KERNEL_RULES.includes(f.ruleId));
      assert.deepEqual(findings.map(at), ['13:32-13:46 multiple-kernels']);
    });
  });

  describe('bad input', () => {
    it('malformed YAML in a MachineConfig: an error at the parser\'s position; other YAML is left alone', () => {
      const text = 'apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineConfig\nmetadata:\n  name: [x\nspec: {}\n';
      const findings = lint(text);
      assert.ok(findings.length >= 1);
      assert.equal(findings[0]!.ruleId, 'mc-yaml-syntax');
      assert.match(findings[0]!.message, /^YAML error: /);
      assert.deepEqual(lint('kind: Deployment\nmetadata: [x\n'), []);
      assert.deepEqual(lint('key: value\nkey: again\n'), []);
      assert.equal(lint('kind: MachineConfig\nmetadata:\n  name: a\n  name: b\n')[0]!.ruleId, 'mc-yaml-syntax');
    });

    it('files too large are skipped with a reason, never parsed', () => {
      const big = `kind: MachineConfig\n# ${'x'.repeat(5 * 1024 * 1024)}\n`;
      const result = lintMachineConfigYaml(big);
      assert.match(result.parsed.skipped!, /5\.0 MB/);
      assert.deepEqual(result.findings, []);
    });

    it('every prefix of the fixtures (a file being typed) never throws, embedded content included', async function () {
      this.timeout(60_000);
      const linter = new Linter();
      for (const name of ['tagged-worker.yaml', 'no-role.yaml', 'extensions-kernel.yaml', 'layered.machineosconfig.yaml']) {
        const text = fixture(name);
        for (let end = 0; end <= text.length; end += 3) {
          await lintYaml(text.slice(0, end), linter, { targetVersion: v(18), clusterPools: ['worker'] });
        }
      }
    });

    it('odd shapes never throw', () => {
      for (const text of ['kind: MachineConfig\n', 'kind: MachineConfig\nspec: 3\nmetadata: x\n', '---\nkind: MachineConfig\nspec:\n  extensions: usbguard\n  osImageURL: 5\n', 'kind: MachineOSConfig\napiVersion: machineconfiguration.openshift.io/v1\nspec: []\n', '- kind: MachineConfig\n', 'kind: MachineConfig\nmetadata:\n  labels:\n    machineconfiguration.openshift.io/role:\n']) {
        assert.doesNotThrow(() => lint(text), text);
      }
    });
  });

  it('facts for the workspace index: pool, extensions, kernel, and the Containerfile named in the header (absolute)', () => {
    const text = `# Generated by rhcos-layering.\n# Containerfile: ../layers/gpu/Containerfile\n\n${mc('os-layer-gpu', 'worker', `  osImageURL: quay.io/a/b@${DIGEST}\n  extensions:\n  - usbguard\n  kernelType: realtime\n`)}`;
    const [facts] = machineConfigFactsOfText(text, path.join('/w', 'manifests', 'os-layer-gpu.yaml'));
    assert.deepEqual(facts, {
      name: 'os-layer-gpu', pool: 'worker', extensions: ['usbguard'], kernelType: 'realtime', osImageURL: `quay.io/a/b@${DIGEST}`,
      source: 'workspace', location: path.join('/w', 'manifests', 'os-layer-gpu.yaml'), containerfile: path.join('/w', 'layers', 'gpu', 'Containerfile'),
    });
  });

  it('reads a kind: List (oc get mc -o yaml) item by item', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: machineconfiguration.openshift.io/v1\n  kind: MachineConfig\n  metadata:\n    name: os-layer\n    labels:\n      machineconfiguration.openshift.io/role: worker\n  spec:\n    osImageURL: quay.io/a/b:1\n`;
    assert.deepEqual(lint(text).map(at), ['11:17-11:30 mc-os-image-not-digest']);
  });

  it('suppression comments and severity settings', () => {
    const text = `# rhcos-layering ignore-file=mc-os-image-not-digest\n${fixture('tagged-worker.yaml')}`;
    assert.deepEqual(lint(text), []);
    const inline = fixture('tagged-worker.yaml').replace(':latest', ':latest  # rhcos-layering ignore=mc-os-image-not-digest');
    assert.deepEqual(lint(inline), []);
    const above = fixture('tagged-worker.yaml').replace('  osImageURL', '  # rhcos-layering ignore=mc-os-image-not-digest\n  osImageURL');
    assert.deepEqual(lint(above), []);
    assert.deepEqual(lint(fixture('tagged-worker.yaml'), { severities: { 'mc-os-image-not-digest': 'off' } }), []);
    assert.equal(lint(fixture('tagged-worker.yaml'), { severities: { 'mc-os-image-not-digest': 'error' } })[0]!.severity, 'error');
  });

  it('the documentation samples: only the real mistake is reported', () => {
    const custom = fixture('docs/os-layer-custom.machineconfig.yaml');
    assert.deepEqual(lint(custom).map((f) => f.ruleId), ['mc-os-image-invalid']);
    assert.deepEqual(lint(fixture('docs/99-override-image-worker.machineconfig.yaml'), { targetVersion: v(13) }), []);
    assert.deepEqual(lint(fixture('docs/80-worker-extensions.machineconfig.yaml'), { targetVersion: v(13) }), []);
    assert.deepEqual(lint(fixture('docs/layered-image.machineosconfig.yaml'), { targetVersion: v(18) }), []);
  });
});
