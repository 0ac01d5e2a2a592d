// Mocha root hooks for the e2e run (loaded with --require by scripts/e2e-run.mjs): keeps the sessions open on
// --keep-open, and stops everything at the end.
import { stopSharedSimulator } from './cluster';
import { options } from './config';
import { sessions, stopAll } from './sessions';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(0);
    if (options.keepOpen && sessions().length) {
      process.stderr.write('\n[e2e] --keep-open: the sessions stay up until Ctrl-C.\n');
      for (const session of sessions()) process.stderr.write(`  ${session.name}: ${session.workspaceUrl}\n    logs: ${session.logsDir}\n`);
      await new Promise(() => undefined); // the SIGINT handler in sessions.ts stops everything and exits
    }
    await stopAll();
    await stopSharedSimulator();
  },
};
