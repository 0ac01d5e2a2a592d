import { GENERATE_USAGE, generateCommand } from './cli/generate';
import { processIo, type CliIo } from './cli/io';
import { LINT_USAGE, lintCommand } from './cli/lint';
import { STATUS_USAGE, statusCommand } from './cli/status';

const USAGE = `usage: rhcos-layering <command> [options]

commands:
  lint       Lint RHCOS layering Containerfiles (text, JSON or SARIF output)
  generate   Print a MachineConfig per pool (or a MachineOSConfig) for a layered image
  status     Show MachineConfigPools and nodes of the cluster (text or JSON)

${LINT_USAGE}

${GENERATE_USAGE}

${STATUS_USAGE}
`;

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  lint: lintCommand,
  generate: generateCommand,
  status: statusCommand,
};

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command ${name}.\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    io.stderr(`rhcos-layering ${name} failed unexpectedly: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
