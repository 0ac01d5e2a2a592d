import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Linter } from '../core/lint';
import { KNOWN_MINOR_VERSIONS, LATEST_VERSION, parseOpenShiftVersion } from '../core/openshift/versions';
import { RULES, ruleById } from '../core/rules';
import type { Finding, Severity, SeveritySetting } from '../core/rules/types';
import { collectInputFiles } from './files';
import type { CliIo } from './io';

export const LINT_USAGE = `usage: rhcos-layering lint [--format text|json|sarif] [--target-version 4.N] [--rule ID=off|info|warning|error]... PATH...
  Lints RHCOS layering Containerfiles. A directory lints the layering Containerfiles under it;
  a file named explicitly is linted whatever its base image. --rule changes one rule's severity.
  Exit status: 0 no error-severity findings, 1 some, 2 usage error or unreadable file.`;

interface FileReport {
  readonly path: string;
  readonly findings: readonly Finding[];
}

export async function lintCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'target-version': { type: 'string' },
        rule: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${LINT_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${LINT_USAGE}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    io.stderr(`Unknown --format ${format}: use text, json or sarif.\n`);
    return 2;
  }
  const versionText = values['target-version'];
  const targetVersion = versionText === undefined ? LATEST_VERSION : parseOpenShiftVersion(versionText);
  if (!targetVersion || !(KNOWN_MINOR_VERSIONS as readonly number[]).includes(targetVersion.minor)) {
    io.stderr(`Unknown --target-version ${versionText}: use one of ${KNOWN_MINOR_VERSIONS.map((m) => `4.${m}`).join(', ')}.\n`);
    return 2;
  }
  const severities = parseRuleSeverities(values.rule ?? []);
  if (!severities.ok) {
    io.stderr(`${severities.error}\n`);
    return 2;
  }
  if (positionals.length === 0) {
    io.stderr(`No PATH given.\n${LINT_USAGE}\n`);
    return 2;
  }

  const { files, errors } = await collectInputFiles(positionals);
  const linter = new Linter();
  const reports: FileReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file.path, 'utf8');
    } catch (error) {
      errors.push(`${file.path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      continue;
    }
    const result = await linter.lint(text, { targetVersion, force: file.explicit, severities: severities.value });
    if (result.layeringReason) reports.push({ path: file.path, findings: result.findings });
  }
  for (const error of errors) io.stderr(`rhcos-layering: ${error}\n`);

  if (format === 'json') io.stdout(`${JSON.stringify(toJson(reports), null, 2)}\n`);
  else if (format === 'sarif') io.stdout(`${JSON.stringify(toSarif(reports), null, 2)}\n`);
  else io.stdout(toText(reports, files.length));

  if (errors.length > 0) return 2;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

function parseRuleSeverities(specs: readonly string[]): { ok: true; value: Record<string, SeveritySetting> } | { ok: false; error: string } {
  const value: Record<string, SeveritySetting> = {};
  for (const spec of specs) {
    const match = /^([\w-]+)=(off|info|warning|error)$/.exec(spec.trim());
    if (!match) return { ok: false, error: `Bad --rule ${spec}: write ID=off|info|warning|error, e.g. --rule package-cache-left=off.` };
    if (!ruleById(match[1]!)) return { ok: false, error: `Unknown rule ${match[1]} in --rule: see docs/rules/README.md for the ids.` };
    value[match[1]!] = match[2] as SeveritySetting;
  }
  return { ok: true, value };
}

function position(finding: Finding): { line: number; column: number; endLine: number; endColumn: number } {
  return {
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
  };
}

function toJson(reports: readonly FileReport[]): unknown {
  return {
    files: reports.map((report) => ({
      path: report.path,
      findings: report.findings.map((f) => ({ rule: f.ruleId, severity: f.severity, ...position(f), message: f.message })),
    })),
  };
}

function toText(reports: readonly FileReport[], scanned: number): string {
  const lines: string[] = [];
  let errors = 0;
  let others = 0;
  for (const report of reports) {
    for (const f of report.findings) {
      const p = position(f);
      lines.push(`${report.path}:${p.line}:${p.column}: ${f.severity} [${f.ruleId}] ${f.message}`);
      if (f.severity === 'error') errors++;
      else others++;
    }
  }
  const skipped = scanned - reports.length;
  const skippedNote = skipped > 0 ? `, ${skipped} not layering Containerfile${skipped === 1 ? '' : 's'} skipped` : '';
  lines.push(`${reports.length} file${reports.length === 1 ? '' : 's'} linted${skippedNote}: ${errors} error${errors === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

function toSarif(reports: readonly FileReport[]): unknown {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'rhcos-layering',
          version: packageVersion(),
          rules: RULES.map((rule) => {
            const markdown = ruleDocumentation(rule.id);
            return {
              id: rule.id,
              shortDescription: { text: rule.summary },
              defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity] },
              ...(markdown ? { help: { text: markdown, markdown } } : {}),
            };
          }),
        },
      },
      results: reports.flatMap((report) => report.findings.map((f) => {
        const p = position(f);
        return {
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: report.path.split(path.sep).join('/') },
              region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
            },
          }],
        };
      })),
    }],
  };
}

/** The folder holding package.json, found upwards from this file (dist/ when bundled, src/cli/ from source). */
function packageRoot(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function packageVersion(): string {
  const root = packageRoot();
  try {
    return root ? (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function ruleDocumentation(id: string): string | undefined {
  const root = packageRoot();
  if (!root) return undefined;
  try {
    return readFileSync(path.join(root, 'docs', 'rules', `${id}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
