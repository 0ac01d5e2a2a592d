import { strict as assert } from 'node:assert';
import { applyEdits, at, badFixtureFindings, covered, editFix, findingsOf, RHCOS } from './ruleHarness';

const RULE = 'on-cluster-from-configs';
const BODY = 'RUN dnf install -y tcpdump && dnf clean all && bootc container lint\n';

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const { text, findings } = await badFixtureFindings(RULE, { mode: 'on-cluster' });
    assert.deepEqual(findings.map((f) => covered(text, f)), ['${TOOLS}', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:5b2ba2d5b3b5c2e0e9f7b6a1c8d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6']);
  });

  it('accepts the documented form and builder stages before it', async () => {
    assert.deepEqual(await findingsOf(RULE, `FROM configs AS final\n${BODY}`, { mode: 'on-cluster' }), []);
    const multiStage = `# build a helper first
FROM registry.access.redhat.com/ubi9/ubi@sha256:${'1'.repeat(64)} AS builder
RUN dnf install -y golang && go build -o /out/tool ./cmd/tool

FROM configs AS final
COPY --from=builder /out/tool /usr/bin/tool
${BODY}`;
    assert.deepEqual(await findingsOf(RULE, multiStage, { mode: 'on-cluster' }), []);
    assert.deepEqual(await findingsOf(RULE, `FROM configs AS base\nRUN true\nFROM base AS final\n${BODY}`, { mode: 'on-cluster' }), []);
  });

  it('is detected from `FROM configs` and silent for ordinary Containerfiles', async () => {
    assert.deepEqual(await findingsOf(RULE, `FROM configs\n${BODY}`).then((f) => f.map(at)), ['0:5-0:12']);
    assert.deepEqual(await findingsOf(RULE, `FROM ${RHCOS}\n${BODY}`), []);
  });

  it('reports a last stage that does not build on configs, as an error at its image', async () => {
    const text = `FROM configs AS final\nRUN true\nFROM ${RHCOS}\n${BODY}`;
    const [finding, ...rest] = await findingsOf(RULE, text, { mode: 'on-cluster' });
    assert.equal(rest.length, 0);
    assert.equal(covered(text, finding!), RHCOS);
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /not on the MCO's configs stage: the nodes would boot an image without the pool's MachineConfig\. End with `FROM configs AS final`/);
  });

  it('asks for the stage name `final`, with a fix', async () => {
    const unnamed = `FROM configs\n${BODY}`;
    const [finding] = await findingsOf(RULE, unnamed, { mode: 'on-cluster' });
    assert.equal(finding!.severity, 'warning');
    assert.equal(applyEdits(unnamed, editFix(finding!)!.edits), `FROM configs AS final\n${BODY}`);

    const misnamed = `FROM configs AS image\n${BODY}`;
    const [renamed] = await findingsOf(RULE, misnamed, { mode: 'on-cluster' });
    assert.equal(at(renamed!), '0:16-0:21');
    assert.equal(applyEdits(misnamed, editFix(renamed!)!.edits), `FROM configs AS final\n${BODY}`);
  });

  it('reports ARGs before the first FROM that a FROM line uses', async () => {
    const text = `ARG BUILDER=registry.access.redhat.com/ubi9/ubi@sha256:${'1'.repeat(64)}
ARG UNUSED=1
FROM \${BUILDER} AS builder
RUN true
FROM configs AS final
${BODY}`;
    const [finding, ...rest] = await findingsOf(RULE, text, { mode: 'on-cluster' });
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '2:5-2:15');
    assert.match(finding!.message, /`BUILDER` comes from an ARG before the first FROM.*this FROM gets an empty value/);
  });

  it('reports content over the 4096-character CRD limit from where it stops fitting', async () => {
    const filler = `# ${'x'.repeat(96)}\n`.repeat(41);
    const text = `FROM configs AS final\n${filler}${BODY}`;
    const [finding] = await findingsOf(RULE, text, { mode: 'on-cluster' });
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, new RegExp(`is ${text.trimEnd().length} characters.*at most 4096`));
    assert.equal(at(finding!), '42:15-42:67');

    const fits = `FROM configs AS final\n${'#'.repeat(4096 - 23)}\n`;
    assert.equal(fits.trimEnd().length, 4095);
    assert.deepEqual(await findingsOf(RULE, fits, { mode: 'on-cluster' }), []);
  });

  it('counts characters, not UTF-16 units', async () => {
    const text = `FROM configs AS final\n# ${'é'.repeat(2000)}${'😀'.repeat(2000)}\n`;
    assert.deepEqual(await findingsOf(RULE, text, { mode: 'on-cluster' }), []);
  });

  it('warns when the target version has no MachineOSConfig', async () => {
    const [finding] = await findingsOf(RULE, `FROM configs AS final\n${BODY}`, { mode: 'on-cluster', version: '4.15' });
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /needs OpenShift 4\.16 or later, and the target is 4\.15/);
    assert.deepEqual(await findingsOf(RULE, `FROM configs AS final\n${BODY}`, { mode: 'on-cluster', version: '4.16' }), []);
  });

  it('warns about content without FROM, and accepts comments only', async () => {
    const [finding] = await findingsOf(RULE, `# tools\n${BODY}`, { mode: 'on-cluster', force: true });
    assert.equal(at(finding!), '1:0-1:3');
    assert.equal(finding!.severity, 'warning');
    assert.deepEqual(await findingsOf(RULE, '# nothing yet\n', { mode: 'on-cluster', force: true }), []);
  });
});
