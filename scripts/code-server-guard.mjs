// Runs code-server as the leader of its own process group and takes the whole group down when the e2e harness
// goes away, even if the harness is killed without cleaning up (its pipe to our stdin closes), or when the harness
// sends SIGTERM/SIGINT. code-server forks an extension host, file watchers and language servers; killing only its
// main process would leave those running.
//
// Usage (spawned detached by test/e2e/harness/code-server.ts): node code-server-guard.mjs <node> <entry.js> [args...]
import { spawn } from 'node:child_process';

const [node, entry, ...args] = process.argv.slice(2);
const child = spawn(node, [entry, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });

let stopping = false;
function stopGroup(reason) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`[guard] stopping code-server (${reason})\n`);
  try {
    process.kill(-process.pid, 'SIGTERM'); // we ignore it ourselves (handlers below)
  } catch {
    // group already gone
  }
  const hard = setTimeout(() => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      process.exit(1);
    }
  }, 5_000);
  child.once('exit', () => {
    // code-server is gone; make sure no stray extension host or watcher outlives it.
    setTimeout(() => {
      clearTimeout(hard);
      try {
        process.kill(-process.pid, 'SIGKILL');
      } catch {
        process.exit(0);
      }
    }, 500);
  });
}

process.on('SIGTERM', () => stopGroup('SIGTERM'));
process.on('SIGINT', () => stopGroup('SIGINT'));
process.on('SIGHUP', () => stopGroup('SIGHUP'));
process.stdin.on('end', () => stopGroup('the harness went away'));
process.stdin.on('error', () => stopGroup('the harness went away'));
process.stdin.resume();
child.on('exit', (code, signal) => {
  if (!stopping) {
    process.stderr.write(`[guard] code-server exited by itself with ${code ?? signal}\n`);
    stopGroup('code-server exited');
  }
});
