/**
 * The oldest Node.js the cluster bundle (dist/cluster.js) runs on: @kubernetes/client-node 2.x talks through undici 8,
 * and this is the minimum both packages' `engines.node` name. test/unit/runtime.test.ts reads those fields, so a
 * dependency update that raises it fails there instead of in a user's editor. Linting and generation need none of it.
 */
export const CLUSTER_MIN_NODE = { major: 22, minor: 19 } as const;

/** The version as messages print it (major.minor). */
export const CLUSTER_MIN_NODE_TEXT = `${CLUSTER_MIN_NODE.major}.${CLUSTER_MIN_NODE.minor}`;

/** Whether a Node.js version ("24.1.0", "v22.20.0") can load the cluster bundle. */
export function nodeRunsClusterBundle(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > CLUSTER_MIN_NODE.major || (major === CLUSTER_MIN_NODE.major && minor >= CLUSTER_MIN_NODE.minor);
}
