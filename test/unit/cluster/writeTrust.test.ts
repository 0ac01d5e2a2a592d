// Workspace trust is checked where a cluster write happens (ClusterSession.write), not only by the commands: a session
// whose trust check refuses sends nothing, whichever write is asked for, dry runs included.
import { strict as assert } from 'node:assert';
import { ClusterSession, type WriteResult } from '../../../src/core/cluster/session';
import { KubeTransport } from '../../../src/core/cluster/transport';
import type { Problem } from '../../../src/core/problem';
import type { TrustCheck } from '../../../src/core/trust';
import { FakeApiServer, json } from '../../helpers/fakeApiServer';

const MACHINE_CONFIG = {
  apiVersion: 'machineconfiguration.openshift.io/v1',
  kind: 'MachineConfig',
  metadata: { name: '99-worker-layered', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
  spec: { osImageURL: `quay.io/example/layered@sha256:${'a'.repeat(64)}` },
};

const WRITES: Record<string, (session: ClusterSession) => Promise<WriteResult>> = {
  'create (dry run)': (s) => s.createObject('MachineConfig', MACHINE_CONFIG, { dryRun: true }),
  create: (s) => s.createObject('MachineConfig', MACHINE_CONFIG),
  replace: (s) => s.replaceObject('MachineConfig', MACHINE_CONFIG),
  'delete (dry run)': (s) => s.deleteObject('MachineOSConfig', 'worker', { dryRun: true }),
  delete: (s) => s.deleteMachineConfig('99-worker-layered'),
  'pause (patch)': (s) => s.setPoolPaused('worker', true),
};

describe('cluster writes check trust where they happen', function () {
  this.timeout(10000);
  let server: FakeApiServer;
  let transport: KubeTransport;
  const asked: string[] = [];
  const refusal: Problem = { what: 'Did not write', why: 'the workspace is in Restricted Mode', next: 'Trust the workspace.' };

  const session = (trust: TrustCheck) => new ClusterSession(transport, { timeoutMs: 2000, trust });

  beforeEach(async () => {
    asked.length = 0;
    server = await new FakeApiServer().start();
    // Answers every request as the API server would a successful one, so a write that got through would succeed.
    server.handler = (request, response) => json(response, request.method === 'POST' ? 201 : 200, { ...MACHINE_CONFIG, metadata: { ...MACHINE_CONFIG.metadata, resourceVersion: '7' } });
    transport = new KubeTransport(server.kubeconfig(), { timeoutMs: 2000 });
  });
  afterEach(async () => {
    transport.dispose();
    await server.stop();
  });

  for (const [name, write] of Object.entries(WRITES)) {
    it(`${name}: refused by the check, nothing reaches the server`, async () => {
      const result = await write(session((action) => (asked.push(action), refusal)));
      assert.deepEqual(result, { ok: false, problem: refusal, kind: 'untrusted' });
      assert.equal(asked.length, 1, 'the check was asked once');
      assert.match(asked[0]!, / on fake$/, 'the check is told the action and the context');
      assert.deepEqual(server.requests, [], 'no request was sent');
    });

    it(`${name}: allowed by the check, it reaches the server`, async () => {
      const result = await write(session((action) => void asked.push(action)));
      assert.equal(result.ok, true, result.ok ? '' : result.problem.why);
      assert.equal(asked.length, 1);
      assert.ok(server.requests.some((r) => r.method !== 'GET'), `a ${name} request was sent`);
    });
  }
});
