/**
 * Entry point of dist/cluster.js, the second bundle: @kubernetes/client-node, undici and the session code. The
 * extension and the CLI load it through lazy.ts the first time the cluster view is shown or a cluster command runs,
 * so activation and `rhcos-layering lint` never pay for it.
 */
import type { Result } from '../problem';
import type { TrustCheck } from '../trust';
import type { SessionHealth } from './health';
import { clusterStatus, type ClusterStatus } from './model';
import { openSession, type SessionOptions } from './session';

export { ClusterSession, FIELD_MANAGER, openSession, type SessionOptions, type WriteResult } from './session';

const readOnly: TrustCheck = (action) => ({ what: `Did not ${action}`, why: 'a session opened to read the cluster once never writes', next: 'This is a bug: report it.' });

export interface ClusterReading {
  readonly status: ClusterStatus;
  readonly health: SessionHealth;
}

/** Lists everything once (no watches) and closes the session: what `rhcos-layering status` prints. It never writes. */
export async function readClusterOnce(singleContextYaml: string, options: Omit<SessionOptions, 'trust'>): Promise<Result<ClusterReading>> {
  const opened = openSession(singleContextYaml, { ...options, informer: { ...options.informer, once: true }, trust: readOnly });
  if (!opened.ok) return opened;
  const session = opened.value.start();
  try {
    const health = await session.settled();
    return { ok: true, value: { status: clusterStatus(session.store), health } };
  } finally {
    await session.dispose();
  }
}
