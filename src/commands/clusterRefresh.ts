import type { ExtensionCommand } from './types';

/** Lists everything again. The view is live anyway; this is for when the user doubts it. */
export const clusterRefresh: ExtensionCommand = {
  id: 'rhcosLayering.cluster.refresh',
  async run(services) {
    await services.cluster.explorer.refresh();
  },
};
