import { processIo, type CliIo } from './cli/io';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

interface CommandModule {
  readonly usage: string;
  readonly run: Command;
}

/*
 * Each command's module is loaded when it runs: `lint` in a CI job or a pre-commit hook then loads neither the YAML
 * library nor the HTTP and cluster code of `generate` and `status`. In dist/ these requires point at separate files
 * (scripts/build.mjs, lazy chunks); from source they are the TypeScript modules.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Readonly<Record<string, () => CommandModule>> = {
  lint: () => {
    const lint = require('./cli/lint') as typeof import('./cli/lint');
    return { usage: lint.LINT_USAGE, run: lint.lintCommand };
  },
  generate: () => {
    const generate = require('./cli/generate') as typeof import('./cli/generate');
    return { usage: generate.GENERATE_USAGE, run: generate.generateCommand };
  },
  status: () => {
    const status = require('./cli/status') as typeof import('./cli/status');
    return { usage: status.STATUS_USAGE, run: (argv, io) => status.statusCommand(argv, io) };
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

function usage(): string {
  return `usage: rhcos-layering <command> [options]

commands:
  lint       Lint RHCOS layering Containerfiles (text, JSON or SARIF output)
  generate   Print a MachineConfig per pool (or a MachineOSConfig) for a layered image
  status     Show MachineConfigPools and nodes of the cluster (text or JSON)

${Object.values(COMMANDS).map((load) => load().usage).join('\n\n')}
`;
}

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr(`Unknown command ${name}.\n${usage()}`);
    return 2;
  }
  try {
    return await load().run(rest, io);
  } catch (error) {
    io.stderr(`rhcos-layering ${name} failed unexpectedly: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 2;
  }
}

/** Runs the command line of this process; dist/cli.js calls it after turning on the compile cache. */
export function main(): void {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
