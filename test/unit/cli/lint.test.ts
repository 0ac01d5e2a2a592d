import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('rhcos-layering lint', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rhcos-lint-'));
    writeFileSync(path.join(dir, 'Containerfile'), 'FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.16\nRUN rpm-ostree install vim && ostree container commit\n');
    writeFileSync(path.join(dir, 'clean.containerfile'), `FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev@${DIGEST}\nRUN dnf install -y vim && dnf clean all && bootc container lint\n`);
    mkdirSync(path.join(dir, 'app'));
    writeFileSync(path.join(dir, 'app', 'Dockerfile'), 'FROM node:20\nCMD ["node"]\n');
    mkdirSync(path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'node_modules', 'Containerfile'), 'FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev:latest\n');
  });

  it('prints the JSON contract with 1-based positions and exits 1 on errors', async () => {
    const { code, stdout } = await run('lint', '--format', 'json', dir);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { files: { path: string; findings: Record<string, unknown>[] }[] };
    assert.deepEqual(report.files.map((f) => path.basename(f.path)), ['clean.containerfile', 'Containerfile']);
    const finding = report.files[1]!.findings.find((f) => f.rule === 'from-not-digest');
    assert.deepEqual(
      { ...finding, message: undefined },
      { rule: 'from-not-digest', severity: 'error', line: 1, column: 6, endLine: 1, endColumn: 57, message: undefined },
    );
    assert.match(String(finding!.message), /tag `4\.16`/);
    assert.deepEqual(report.files[0]!.findings, []);
  });

  it('skips ordinary Dockerfiles found in a directory but lints a file named explicitly', async () => {
    const fromDirectory = await run('lint', '--format', 'json', path.join(dir, 'app'));
    assert.deepEqual(JSON.parse(fromDirectory.stdout), { files: [] });
    const explicit = await run('lint', '--format', 'json', path.join(dir, 'app', 'Dockerfile'));
    assert.equal(JSON.parse(explicit.stdout).files.length, 1);
  });

  it('exits 0 when only clean files are linted', async () => {
    const { code, stdout } = await run('lint', path.join(dir, 'clean.containerfile'));
    assert.equal(code, 0);
    assert.match(stdout, /1 file linted: 0 errors/);
  });

  it('honours suppression comments', async () => {
    const file = path.join(dir, 'suppressed.containerfile');
    writeFileSync(file, '# rhcos-layering ignore=from-not-digest\nFROM quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.16\nRUN rpm-ostree install vim && ostree container commit\n');
    const { stdout } = await run('lint', '--format', 'json', '--target-version', '4.16', file);
    assert.deepEqual(JSON.parse(stdout).files[0].findings, []);
  });

  it('writes SARIF 2.1.0 with rules and results', async () => {
    const { stdout } = await run('lint', '--format', 'sarif', path.join(dir, 'Containerfile'));
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const runResult = sarif.runs[0];
    assert.ok(runResult.tool.driver.rules.some((r: { id: string }) => r.id === 'from-not-digest'));
    const result = runResult.results.find((r: { ruleId: string }) => r.ruleId === 'from-not-digest');
    assert.equal(result.level, 'error');
    assert.equal(runResult.tool.driver.rules[result.ruleIndex].id, 'from-not-digest');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 6, endLine: 1, endColumn: 57 });
  });

  it('changes severities with --rule, and turns rules off', async () => {
    const demoted = await run('lint', '--format', 'json', '--rule', 'from-not-digest=warning', path.join(dir, 'Containerfile'));
    assert.equal(demoted.code, 0);
    assert.equal(JSON.parse(demoted.stdout).files[0].findings.find((f: { rule: string }) => f.rule === 'from-not-digest').severity, 'warning');
    const off = await run('lint', '--format', 'json', '--rule', 'from-not-digest=off', path.join(dir, 'Containerfile'));
    assert.ok(!JSON.parse(off.stdout).files[0].findings.some((f: { rule: string }) => f.rule === 'from-not-digest'));
    assert.equal((await run('lint', '--rule', 'nope=off', dir)).code, 2);
    assert.equal((await run('lint', '--rule', 'from-not-digest=loud', dir)).code, 2);
  });

  it('exits 2 with a message for usage errors and unreadable paths', async () => {
    assert.equal((await run('lint', '--format', 'xml', dir)).code, 2);
    assert.equal((await run('lint', '--target-version', '5.1', dir)).code, 2);
    assert.equal((await run('lint')).code, 2);
    const missing = await run('lint', path.join(dir, 'nope'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or directory/);
    assert.equal((await run('frobnicate')).code, 2);
  });
});
