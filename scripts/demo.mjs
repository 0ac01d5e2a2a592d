// npm run demo: try the whole extension in a real VS Code (code-server, in your browser) with one command.
//
// Sets up what is missing (the build, code-server and its Node 24, both cached after the first run), then starts on
// 127.0.0.1:
//   - a simulated OpenShift 4.18 cluster (test/simulator): ~30 nodes in the master, worker and infra pools, rolling
//     out at the real MCO's pace (a node takes a few seconds; a pool about a minute);
//   - a local container registry (docker-registry with TLS and a password, a busybox base image pushed), so "Pin to
//     digest", "Build and Push" (buildah) and "Generate MachineConfig" resolve real digests; skipped, with the
//     command that installs what it needs, when the machine lacks docker-registry/buildah/skopeo;
//   - code-server with the packaged extension, opening a copy of demo/workspace/ (layering Containerfiles for the
//     documented patterns, some with deliberate mistakes), pointed at both through its settings and environment;
// prints the URL and what to try first, and stops everything on Ctrl-C.
//
//   npm run demo [-- --port 8080] [--nodes 30] [--step-ms 200] [--no-registry] [--skip-build] [--dir .cache/demo]
//
// Reuses the e2e harness's code-server install (scripts/code-server.mjs) and launch (test/e2e/harness/code-server.ts:
// fresh user-data/HOME per run, code-server under a guard that takes its process group down with this script).
import { spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ensureCodeServer, repoRoot, SetupError } from './code-server.mjs';

const argv = process.argv.slice(2);
const flags = new Set(['--port', '--nodes', '--step-ms', '--no-registry', '--skip-build', '--dir', '--help']);
for (const [index, arg] of argv.entries()) {
  if (arg.startsWith('--') && !flags.has(arg)) fail(`Unknown flag ${arg}. Flags: ${[...flags].join(' ')}`);
  if (!arg.startsWith('--') && !['--port', '--nodes', '--step-ms', '--dir'].includes(argv[index - 1])) fail(`Unexpected argument ${arg}`);
}
const value = (name, fallback) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : fallback;
};
if (argv.includes('--help')) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((line) => line.startsWith('//')).map((line) => line.slice(3)).join('\n'));
  process.exit(0);
}

// Where a run keeps its state (session, workspace copy, kubeconfig, logs); emptied at start.
const demoRoot = path.resolve(repoRoot, value('--dir', path.join('.cache', 'demo')));
const runDir = path.join(demoRoot, 'session');
const sampleWorkspace = path.join(repoRoot, 'demo', 'workspace');
const wantedPort = Number(value('--port', '8080'));
const nodes = Number(value('--nodes', '30'));
const stepMs = value('--step-ms') === undefined ? undefined : Number(value('--step-ms'));

function fail(message) {
  console.error(`\ndemo: ${message}`);
  process.exit(1);
}

function step(message) {
  console.log(`demo: ${message}`);
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Everything started so far, stopped in reverse order on Ctrl-C, on errors and when this process exits.
const stoppers = [];
let stopping = false;
async function stopAll(reason) {
  if (stopping) return;
  stopping = true;
  if (reason) console.log(`\ndemo: ${reason}: stopping code-server, the registry and the simulator...`);
  for (const stop of stoppers.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error(`demo: while stopping: ${error?.message ?? error}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    const forced = setTimeout(() => process.exit(130), 15_000);
    forced.unref();
    void stopAll(signal).finally(() => {
      console.log('demo: stopped.');
      process.exit(130);
    });
  });
}

try {
  // 1. Node: npm runs this with the project's Node 24 (the `node` devDependency).
  if (Number(process.versions.node.split('.')[0]) < 22) fail(`Run it through npm (npm run demo), which uses the project's Node 24; this is Node ${process.versions.node}.`);

  // 2. The build: rhcos-layering.vsix, what code-server installs.
  const vsix = path.join(repoRoot, 'rhcos-layering.vsix');
  if (argv.includes('--skip-build') && existsSync(vsix)) {
    step('using the rhcos-layering.vsix of the last build (--skip-build)');
  } else {
    step('building and packaging the extension (npm run package)...');
    const packaged = spawnSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, encoding: 'utf8' });
    if (packaged.status !== 0) fail(`npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
  }

  // 3. code-server (installed into .cache/code-server on first use: about 3 minutes, once).
  try {
    const install = await ensureCodeServer({ log: (line) => step(line) });
    step(`code-server ${install.version} is installed`);
  } catch (error) {
    fail(error instanceof SetupError ? error.message : String(error?.stack ?? error));
  }

  rmSync(demoRoot, { recursive: true, force: true });
  mkdirSync(demoRoot, { recursive: true });

  // 4. The simulated cluster, in this process (it stops with it).
  const { startSimulator } = await tsImport('../test/simulator/index.ts', import.meta.url);
  const simulatorLog = createWriteStream(path.join(demoRoot, 'simulator.log'));
  const simulator = await startSimulator({
    nodes,
    pools: ['worker', 'infra'],
    ...(stepMs ? { stepMs } : {}),
    kubeconfigPath: path.join(demoRoot, 'kubeconfig'),
    log: (line) => simulatorLog.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`),
  });
  stoppers.push(async () => {
    await simulator.stop();
    simulatorLog.end();
  });
  const state = simulator.state();
  const clusterBase = simulator.list('configmaps').find((cm) => cm.metadata.name === 'machine-config-osimageurl')?.data?.baseOSContainerImage;
  step(`simulated OpenShift ${simulator.version.release} at ${simulator.url}: ${state.pools.map((pool) => `${pool.name} ${pool.machineCount}`).join(', ')} nodes`);

  // 5. The local registry (optional).
  let registry;
  if (argv.includes('--no-registry')) {
    step('no local registry (--no-registry): Pin to digest and Build and Push need a registry you can reach');
  } else {
    const { startLocalRegistry } = await tsImport('../test/system/helpers/registry.ts', import.meta.url);
    try {
      step('starting a local registry and pushing a busybox base image into it...');
      registry = await startLocalRegistry();
      stoppers.push(() => registry.stop());
      step(`local registry at https://${registry.host} (user ${registry.username}; credentials in ${registry.authFile})`);
    } catch (error) {
      step(`no local registry: ${String(error?.message ?? error).split('\n')[0]}`);
      step('  (scripts/setup-machine.sh installs what it needs; the rest of the demo works without it)');
    }
  }

  // 6. The sample workspace (a copy: edit freely), the settings, code-server.
  const workspaceCopy = path.join(demoRoot, 'workspace');
  cpSync(sampleWorkspace, workspaceCopy, { recursive: true });
  if (clusterBase && !readFileSync(path.join(sampleWorkspace, '05-dnf-bootc-lint', 'Containerfile'), 'utf8').includes(clusterBase)) {
    step(`note: the sample Containerfiles use a different base image than this cluster's (${clusterBase}); the linter will say so`);
  }
  if (registry) {
    mkdirSync(path.join(workspaceCopy, '07-local-registry'), { recursive: true });
    writeFileSync(
      path.join(workspaceCopy, '07-local-registry', 'Containerfile'),
      [
        `# Built and pushed for real: FROM the demo's local registry (${registry.host}, written when the demo started).`,
        '# Try: Ctrl+. on the image > "Pin ... to its digest"; "Build and Push Layered Image" in the editor title bar',
        `# (push to ${registry.host}/rhcos-layered:1.0); then "Generate MachineConfig" for the pushed digest.`,
        `FROM ${registry.host}/busybox-base:latest`,
        '# busybox has no bootc, so the usual last step is left out here (and its warning suppressed):',
        '# rhcos-layering ignore=missing-commit-or-lint',
        'RUN echo "layered by the rhcos-layering demo" > /etc/motd',
        '',
      ].join('\n'),
    );
  }
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const defaultBaseImages = manifest.contributes.configuration.properties['rhcosLayering.lint.baseImages'].default;
  const settings = {
    'workbench.startupEditor': 'readme',
    ...(registry ? { 'rhcosLayering.lint.baseImages': [...defaultBaseImages, '127.0.0.1:*/busybox-base'] } : {}),
  };
  // Machine-scoped settings (credentials, tools): code-server's window is a remote one, which reads them from the
  // machine's settings only.
  const machineSettings = registry
    ? {
        'rhcosLayering.registry.authFile': registry.authFile,
        // The registry's certificate is self-signed: trust it as podman --cert-dir does (builds get it too).
        'rhcosLayering.registry.certDirectory': registry.certDir,
        'rhcosLayering.build.tool': 'buildah',
        'rhcosLayering.build.extraArgs': [...registry.buildahGlobalArgs],
      }
    : {};
  const port = (await portFree(wantedPort)) ? wantedPort : 0;
  if (!port) step(`port ${wantedPort} is in use; code-server takes a free one`);
  const { CodeServerSession } = await tsImport('../test/e2e/harness/code-server.ts', import.meta.url);
  const session = new CodeServerSession({
    name: 'demo',
    runDir,
    workspace: workspaceCopy,
    testRunner: false,
    port,
    settings,
    machineSettings,
    env: {
      KUBECONFIG: simulator.kubeconfigPath,
      ...(registry ? { BUILDAH_ISOLATION: 'chroot' } : {}),
    },
  });
  stoppers.push(() => session.stop());
  process.on('exit', () => session.killNow());
  step('starting code-server with the extension...');
  await session.start();

  const url = session.workspaceUrl;
  console.log(`
────────────────────────────────────────────────────────────────────────────────────────────────────
  Open ${url}
  in a browser on this machine (it listens on 127.0.0.1 only). Ctrl-C here stops everything.

  What to try first:
   1. mistakes/Containerfile.release-payload: the Problems panel (Ctrl+Shift+M) lists the findings with rule ids;
      hover the FROM image; Ctrl+. on an underlined word for the quick fixes (ignore, docs, fixes).
   2. The "RHCOS Layering" view in the activity bar: the simulated cluster's pools and nodes.${registry ? `
   3. 07-local-registry/Containerfile: "Pin to digest" (Ctrl+. on the image); "Build and Push" (editor title bar),
      then "Generate MachineConfig" in the notification; "Apply ... to cluster" above the generated YAML: watch the
      pool roll out in the Cluster view, then right-click the pool > "Roll Back Pool to Base Image".` : `
   3. Right-click a Containerfile > "Generate MachineConfig", then "Apply ... to cluster" above the generated YAML:
      watch the pool roll out in the Cluster view, then right-click the pool > "Roll Back Pool to Base Image".`}
   4. The numbered folders are the documented layering patterns (hotfix, RHEL package + service, EPEL, kernel
      override, dnf + bootc container lint, on-cluster layering with a MachineOSConfig).

  Cluster: KUBECONFIG=${simulator.kubeconfigPath} (kubectl get mcp works too; faults:
           KUBECONFIG=${simulator.kubeconfigPath} npm run -s simulator -- ctl degrade pool=worker count=1)
  Logs:    ${path.relative(repoRoot, session.logsDir)}/, ${path.relative(repoRoot, path.join(demoRoot, 'simulator.log'))}
────────────────────────────────────────────────────────────────────────────────────────────────────`);

  // Serve until Ctrl-C; if code-server goes away by itself, stop the rest and say so.
  const reason = await session.whenExited();
  if (!stopping) {
    await stopAll(`${reason} (see ${path.relative(repoRoot, session.codeServerLog)})`);
    process.exit(1);
  }
} catch (error) {
  console.error(`\ndemo: ${error?.stack ?? error}`);
  await stopAll('error');
  process.exit(1);
}
