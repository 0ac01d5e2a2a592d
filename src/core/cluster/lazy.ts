import type * as ClusterEntry from './entry';

/** What dist/cluster.js exports. */
export type ClusterModule = typeof ClusterEntry;

let loaded: ClusterModule | undefined;

/**
 * Loads the cluster bundle on first use. In dist/, the build points `./entry` at the separate file `./cluster.js`
 * (scripts/build.mjs), so dist/extension.js and cli/dist/cli.js do not contain @kubernetes/client-node; from source
 * (tests), it is the TypeScript module.
 */
export function loadClusterModule(): ClusterModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./entry') as ClusterModule;
  return loaded;
}

export function isClusterModuleLoaded(): boolean {
  return loaded !== undefined;
}
