// kubectl against the simulator over HTTPS with the generated kubeconfig: discovery, server-side
// tables, create (with and without --dry-run=server), validation errors, delete, watch output, and
// the per-context 403/401 rules.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '../simulator/index';
import { kubectl, requireKubectl } from '../simulator/testing';

const IMAGE = 'quay.io/example/rhcos-layered@sha256:' + '1'.repeat(64);

function mcYaml(name: string, extra = ''): string {
  return `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfig
metadata:
  name: ${name}
  labels:
    machineconfiguration.openshift.io/role: worker
spec:
  osImageURL: ${IMAGE}
${extra}`;
}

describe('simulator: kubectl', function () {
  this.timeout(60000);
  let sim: Simulator;
  let dir: string;

  before(async () => {
    requireKubectl();
    sim = await startSimulator({ nodes: 12, pools: ['worker', 'infra'], stepMs: 10, seed: 'kubectl-test' });
    dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-'));
  });
  after(async () => {
    await sim?.stop();
  });

  it('get nodes shows STATUS, ROLES, AGE and VERSION from server-side tables', async () => {
    const r = await kubectl(sim, ['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    assert.equal(lines.length, 13);
    assert.ok(lines.some((l) => /\sReady\s+control-plane,master\s/.test(l)));
    assert.ok(lines.some((l) => /\sReady\s+infra,worker\s/.test(l)));
    assert.ok(lines.slice(1).every((l) => l.includes(sim.version.kube.gitVersion)));
  });

  it('get mcp looks like oc get mcp', async () => {
    const r = await kubectl(sim, ['get', 'mcp']);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.deepEqual(header!.split(/\s+/), ['NAME', 'CONFIG', 'UPDATED', 'UPDATING', 'DEGRADED', 'MACHINECOUNT', 'READYMACHINECOUNT', 'UPDATEDMACHINECOUNT', 'DEGRADEDMACHINECOUNT', 'AGE']);
    const worker = rows.find((l) => l.startsWith('worker '))!.split(/\s+/);
    assert.match(worker[1]!, /^rendered-worker-[0-9a-f]{32}$/);
    assert.deepEqual(worker.slice(2, 9), ['True', 'False', 'False', String(sim.nodesOf('worker').length), String(sim.nodesOf('worker').length), String(sim.nodesOf('worker').length), '0']);
  });

  it('get -o json returns lists with every node; api-resources lists the MCO kinds', async () => {
    const r = await kubectl(sim, ['get', 'nodes', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).items.length, 12);
    const res = await kubectl(sim, ['api-resources', '--api-group=machineconfiguration.openshift.io', '-o', 'name']);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(res.stdout.trim().split('\n').sort(), ['machineconfigpools.machineconfiguration.openshift.io', 'machineconfigs.machineconfiguration.openshift.io', 'machineosbuilds.machineconfiguration.openshift.io', 'machineosconfigs.machineconfiguration.openshift.io']);
  });

  it('create -f --dry-run=server validates without creating; create -f creates and renders; delete removes it', async () => {
    const file = join(dir, 'mc.yaml');
    writeFileSync(file, mcYaml('os-layer-custom'));
    const dry = await kubectl(sim, ['create', '-f', file, '--dry-run=server']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /machineconfig\.machineconfiguration\.openshift\.io\/os-layer-custom created \(server dry run\)/);
    assert.equal(sim.get('machineconfigs', 'os-layer-custom'), undefined);
    const before = sim.pool('worker')!.spec.configuration.name;
    const created = await kubectl(sim, ['create', '-f', file]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /os-layer-custom created/);
    const again = await kubectl(sim, ['create', '-f', file]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /AlreadyExists|already exists/);
    const pool = await sim.waitFor(() => sim.pool('worker')!.spec.configuration.name !== before && sim.pool('worker'));
    const rendered = sim.get('machineconfigs', pool.spec.configuration.name)!;
    assert.equal(rendered.spec.osImageURL, IMAGE);
    const del = await kubectl(sim, ['delete', 'mc', 'os-layer-custom']);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /"os-layer-custom" deleted/);
    assert.equal(sim.get('machineconfigs', 'os-layer-custom'), undefined);
    await sim.waitForRollout('worker', 30000);
  });

  it('create -f reports schema errors (422) and unknown fields (strict validation) like the real server', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfig
metadata:
  name: bad-mc
  labels:
    machineconfiguration.openshift.io/role: worker
spec:
  osImageURL: 42
  fips: "yes"
`);
    const bad = await kubectl(sim, ['create', '-f', file]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /The MachineConfig "bad-mc" is invalid/);
    assert.match(bad.stderr, /spec\.osImageURL: Invalid value: "integer": spec\.osImageURL in body must be of type string: "integer"/);
    assert.match(bad.stderr, /spec\.fips: Invalid value: "string": spec\.fips in body must be of type boolean/);
    writeFileSync(file, mcYaml('unknown-field', '  osImageURl: typo\n'));
    const unknown = await kubectl(sim, ['create', '-f', file, '--dry-run=server']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /strict decoding error: unknown field "spec\.osImageURl"/);
  });

  it('get -w prints rows as a rollout changes the pool', async () => {
    const file = join(dir, 'watch-mc.yaml');
    writeFileSync(file, mcYaml('watch-me'));
    sim.cluster.setStepMs(30);
    const watching = kubectl(sim, ['get', 'mcp', 'worker', '-w', '--request-timeout=0'], { timeoutMs: 4000 });
    await new Promise((r) => setTimeout(r, 800));
    assert.equal((await kubectl(sim, ['create', '-f', file])).code, 0);
    const out = await watching;
    sim.cluster.setStepMs(10);
    const rows = out.stdout.trim().split('\n');
    assert.match(rows[0]!, /^NAME\s+CONFIG\s+UPDATED/);
    assert.ok(rows.length >= 3, `several rows while rolling out:\n${out.stdout}`);
    assert.ok(rows.slice(1).some((l) => /\sFalse\s+True\s+False\s/.test(l)), 'a row with UPDATED False, UPDATING True');
    assert.equal(rows.filter((l) => l.startsWith('NAME')).length, 1, 'the header is printed once');
    await kubectl(sim, ['delete', 'mc', 'watch-me']);
    await sim.waitForRollout('worker', 30000);
  });

  it('uses the per-token rules: 403 for no-mc on machineconfigs, 401 once a token expires', async () => {
    const forbidden = await kubectl(sim, ['get', 'mc'], { context: 'no-mc' });
    assert.notEqual(forbidden.code, 0);
    assert.match(forbidden.stderr, /machineconfigs\.machineconfiguration\.openshift\.io is forbidden: User "developer" cannot list resource "machineconfigs" in API group "machineconfiguration\.openshift\.io" at the cluster scope/);
    const pools = await kubectl(sim, ['get', 'mcp'], { context: 'no-mc' });
    assert.equal(pools.code, 0, pools.stderr);
    sim.faults.expireToken('expiring');
    const expired = await kubectl(sim, ['get', 'nodes'], { context: 'expiring' });
    sim.faults.restoreToken('expiring');
    assert.notEqual(expired.code, 0);
    assert.match(expired.stderr, /Unauthorized|must be logged in/);
  });

  it('cordon and uncordon work (strategic merge patch on nodes)', async () => {
    const node = sim.nodesOf('worker')[0]!.metadata.name;
    const c = await kubectl(sim, ['cordon', node]);
    assert.equal(c.code, 0, c.stderr);
    await sim.waitFor(() => sim.get('nodes', node)!.spec.taints?.some((t: { key: string }) => t.key === 'node.kubernetes.io/unschedulable'), { what: 'unschedulable taint' });
    const get = await kubectl(sim, ['get', 'node', node]);
    assert.match(get.stdout, /Ready,SchedulingDisabled/);
    assert.equal((await kubectl(sim, ['uncordon', node])).code, 0);
    await sim.waitFor(() => !sim.get('nodes', node)!.spec.unschedulable && !sim.get('nodes', node)!.spec.taints, { what: 'uncordoned' });
  });
});
