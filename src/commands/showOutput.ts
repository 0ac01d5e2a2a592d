import type { ExtensionCommand } from './types';

export const showOutput: ExtensionCommand = {
  id: 'rhcosLayering.showOutput',
  run(services) {
    services.log.show(true);
  },
};
