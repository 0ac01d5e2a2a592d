import { parseArgs } from 'node:util';
import { loadKubeconfig, singleContextKubeconfig } from '../core/cluster/kubeconfig';
import { loadClusterModule } from '../core/cluster/lazy';
import { resourceWarnings, statusJson, statusText } from '../core/cluster/statusFormat';
import { formatProblem } from '../core/problem';
import { CLUSTER_MIN_NODE_TEXT, nodeRunsClusterBundle } from '../core/runtime';
import type { CliIo } from './io';

export const STATUS_USAGE = `usage: rhcos-layering status [--context NAME] [--kubeconfig PATH] [--format text|json] [--request-timeout SECONDS]
  Shows the MachineConfigPools and nodes of the cluster (what the Cluster view shows): pools like \`oc get mcp\`,
  then every node with its state and image. Reads the kubeconfig as kubectl does ($KUBECONFIG, else ~/.kube/config).
  Exit status: 0 shown (warnings about resource types that cannot be read go to stderr), 2 the cluster cannot be
  reached or read, or a usage error; the reason goes to stderr.`;

export async function statusCommand(argv: readonly string[], io: CliIo, nodeVersion = process.versions.node): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        format: { type: 'string', default: 'text' },
        'request-timeout': { type: 'string', default: '20' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${STATUS_USAGE}\n`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout(`${STATUS_USAGE}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') {
    io.stderr(`Unknown --format ${format}: use text or json.\n`);
    return 2;
  }
  const timeoutSeconds = Number(values['request-timeout']);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    io.stderr(`--request-timeout needs a number of seconds, not ${values['request-timeout']}.\n`);
    return 2;
  }
  if (!nodeRunsClusterBundle(nodeVersion)) {
    io.stderr(`rhcos-layering status needs Node.js ${CLUSTER_MIN_NODE_TEXT} or newer (its Kubernetes client, @kubernetes/client-node 2.x, requires it); this is Node.js ${nodeVersion}. Run it with a newer node, e.g. \`npx -p node@24 rhcos-layering status\`.\n`);
    return 2;
  }

  const loaded = await loadKubeconfig(values.kubeconfig !== undefined ? { explicitFile: values.kubeconfig } : {});
  if (!loaded.ok) {
    io.stderr(`rhcos-layering: ${formatProblem(loaded.problem)}\n`);
    return 2;
  }
  for (const warning of loaded.value.warnings) io.stderr(`warning: ${warning}\n`);
  const context = values.context ?? loaded.value.currentContext;
  if (!context) {
    io.stderr(`rhcos-layering: The kubeconfig (${loaded.value.files.join(', ')}) has no current-context: pass --context NAME (one of ${[...loaded.value.contexts.keys()].join(', ') || 'none'}).\n`);
    return 2;
  }
  const single = singleContextKubeconfig(loaded.value, context);
  if (!single.ok) {
    io.stderr(`rhcos-layering: ${formatProblem(single.problem)}\n`);
    return 2;
  }

  const cluster = loadClusterModule();
  const reading = await cluster.readClusterOnce(single.value, { timeoutMs: timeoutSeconds * 1000 });
  if (!reading.ok) {
    io.stderr(`rhcos-layering: ${formatProblem(reading.problem)}\n`);
    return 2;
  }
  const { status, health } = reading.value;
  if (health.problem) {
    io.stderr(`rhcos-layering: ${formatProblem(health.problem)}\n`);
    return 2;
  }
  const unreadable = health.resourceProblems.filter((p) => p.resource === 'pools' || p.resource === 'nodes');
  if (unreadable.length > 0) {
    for (const p of unreadable) io.stderr(`rhcos-layering: ${formatProblem(p.problem)}\n`);
    return 2;
  }
  for (const warning of resourceWarnings(health.resourceProblems)) io.stderr(`${warning}\n`);
  io.stdout(format === 'json' ? `${JSON.stringify(statusJson(status), null, 2)}\n` : statusText(status));
  return 0;
}
