import { startSimulator } from './test/simulator/index';
import { openTestSession } from './test/system/helpers/cluster';
(async () => {
  const sim = await startSimulator({ nodes: 8, pools: ['worker'], stepMs: 20, bookmarkMs: 300, seed: 'cluster-faults' });
  const session = await openTestSession(sim);
  await session.settled();
  await new Promise(r => setTimeout(r, 300));
  console.log('open watches', sim.server.openWatchCount(), JSON.stringify(session.stats));
  const n = sim.faults.expireWatches();
  console.log('expired', n);
  await new Promise(r => setTimeout(r, 1000));
  console.log(JSON.stringify(session.stats), session.health.state);
  await session.dispose(); await sim.stop();
})();
