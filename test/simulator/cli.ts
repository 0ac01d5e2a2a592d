// `npm run simulator -- [--nodes N] [--pools worker,infra] [--port P] [--step-ms MS] [--version 4.18]`
// Prints KUBECONFIG=<path> as its first line, then a summary, and serves until Ctrl-C / SIGTERM.
// `npm run simulator -- ctl <op> [key=value ...]` sends a fault or query to a running simulator
// (found through $KUBECONFIG, admin context).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse as parseYaml } from 'yaml';
import { type PoolOptions, startSimulator } from './index';

const HELP = `Usage:
  npm run -s simulator -- [options]          start a simulated OpenShift cluster
  npm run -s simulator -- ctl <op> [k=v...]  control a running one (uses $KUBECONFIG)

Options:
  --nodes N             total nodes (default 30)
  --pools a,b[=n]       pools besides master; worker is always there (default worker).
                        name=n gives the pool n nodes (name=0: a pool whose nodeSelector matches nothing)
  --max-unavailable X   maxUnavailable for worker and custom pools (number or percent)
  --port P              port on 127.0.0.1 (default: a free one)
  --step-ms MS          milliseconds per controller step (default 200: ~2.6 s per node)
  --version 4.N         OpenShift version, 4.12 … 4.22 (default 4.18)
  --seed S              seed for names and uids
  --kubeconfig PATH     where to write the kubeconfig (default: a temp folder)
  --no-openshift        serve no OpenShift API groups (a plain Kubernetes cluster)
  --quiet               do not log controller activity
  --shared DIR          the project's shared/ folder (CRDs, samples)

Control ops (POST /_simulator/<op>, admin token): state, degrade pool=worker count=1 kind=rebase|drain,
  recover nodes=a,b, drop-watches [mode=end], expire-watches, compact, gone-mode mode=http|event,
  fail status=500 forMs=5000 [resource=nodes], latency ms=2000 forMs=10000, clear,
  expire-token context=expiring, restore-token, forbid context=no-mc resources=machineconfigs, allow,
  unreachable forMs=5000, openshift enabled=false, expire-continue, fail-build pool=worker,
  add-pool name=gpu nodes=2, add-node-to-pool node=N pool=P, step-ms ms=50, pause pool=worker paused=true`;

function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) out[k] = inline;
    else if (['no-openshift', 'quiet', 'help'].includes(k)) out[k] = true;
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${k} needs a value`);
      out[k] = v;
    }
  }
  return out;
}

async function ctl(args: string[]): Promise<void> {
  const [op = 'state', ...rest] = args;
  const path = process.env.KUBECONFIG?.split(':')[0];
  if (!path) throw new Error('set KUBECONFIG to the simulator kubeconfig (the first line the simulator printed)');
  const kc = parseYaml(readFileSync(path, 'utf8'));
  const cluster = kc.clusters[0].cluster;
  const user = kc.users.find((u: { name: string }) => u.name === 'kube:admin') ?? kc.users[0];
  const body: Record<string, unknown> = {};
  for (const kv of rest) {
    const [k, ...v] = kv.split('=');
    const value = v.join('=');
    body[k!] = value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value;
  }
  const url = new URL(`/_simulator/${op}`, cluster.server);
  const text = JSON.stringify(body);
  const out = await new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        headers: { Authorization: `Bearer ${user.user.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve(data));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
  process.stdout.write(`${JSON.stringify(JSON.parse(out), null, 2)}\n`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'ctl') return ctl(argv.slice(1));
  const a = parseArgs(argv);
  if (a.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const maxUnavailable = typeof a['max-unavailable'] === 'string' ? (/^\d+$/.test(a['max-unavailable']) ? Number(a['max-unavailable']) : a['max-unavailable']) : undefined;
  const pools: PoolOptions[] = String(a.pools ?? 'worker')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [name, count] = p.split(/[=:]/) as [string, string | undefined];
      return { name, ...(count !== undefined ? { nodes: Number(count) } : {}), ...(maxUnavailable !== undefined && name !== 'master' ? { maxUnavailable } : {}) };
    });
  if (maxUnavailable !== undefined && !pools.some((p) => p.name === 'worker')) pools.unshift({ name: 'worker', maxUnavailable });
  const quiet = a.quiet === true;
  // Nothing may come before the KUBECONFIG= line, so startup logs wait for it.
  let ready = false;
  const pending: string[] = [];
  const sim = await startSimulator({
    nodes: a.nodes !== undefined ? Number(a.nodes) : 30,
    pools,
    ...(a.port !== undefined ? { port: Number(a.port) } : {}),
    ...(a['step-ms'] !== undefined ? { stepMs: Number(a['step-ms']) } : {}),
    ...(typeof a.version === 'string' ? { version: a.version } : {}),
    ...(typeof a.seed === 'string' ? { seed: a.seed } : {}),
    ...(typeof a.kubeconfig === 'string' ? { kubeconfigPath: a.kubeconfig } : {}),
    ...(typeof a.shared === 'string' ? { sharedDir: a.shared } : {}),
    openshift: a['no-openshift'] !== true,
    log: (line) => {
      if (quiet) return;
      const text = `${new Date().toISOString().slice(11, 23)} ${line}\n`;
      if (ready) process.stdout.write(text);
      else pending.push(text);
    },
  });
  const st = sim.state();
  const lines = [
    `KUBECONFIG=${sim.kubeconfigPath}`,
    `OpenShift ${sim.version.release} (Kubernetes ${sim.version.kube.gitVersion}) API simulator at ${sim.url}`,
    `pools: ${(st.pools as Array<{ name: string; machineCount: number }>).map((p) => `${p.name}=${p.machineCount}`).join(' ')}; ${st.nodes} nodes; step ${sim.mco.stepMs} ms`,
    `contexts: ${Object.values(sim.contexts)
      .map((c) => `${c.context} (${c.description})`)
      .join(', ')}`,
    `try: KUBECONFIG=${sim.kubeconfigPath} kubectl get mcp`,
    `faults: KUBECONFIG=${sim.kubeconfigPath} npm run -s simulator -- ctl degrade pool=worker count=1 kind=drain`,
    ...sim.notes.map((n) => `note: ${n}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n${pending.join('')}`);
  ready = true;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`simulator: ${(err as Error).message}\n`);
  process.exit(1);
});
