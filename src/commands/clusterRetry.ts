import type { ExtensionCommand } from './types';

/** Tries to connect now instead of waiting for the next automatic attempt; reads the kubeconfig again if needed. */
export const clusterRetry: ExtensionCommand = {
  id: 'rhcosLayering.cluster.retry',
  async run(services) {
    await services.cluster.explorer.retry();
  },
};
