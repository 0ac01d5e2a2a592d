// Lints a directory of real-world Containerfiles with the built CLI and reports the findings per rule, so that each
// finding can be labelled by hand (correct / wrong / unsure) and the linter's precision measured on files it was not
// written against. The corpus and its labels stay outside the repository (fetched code is never committed).
//
//   node scripts/corpus-report.mjs DIR [--labels FILE] [--kept FILE] [--unlabelled FILE] [--target-version 4.N] [--cli FILE] [--list]
//
// --labels FILE      a TSV of hand labels: path, line:column, rule, message hash, label, note, message. Findings whose
//                    key (path, position, rule and message) has a label are counted; the others are listed as unlabelled.
// --unlabelled FILE  appends the unlabelled findings to FILE in the labels format, with the label `?` to fill in.
// --kept FILE        a labels file from an earlier run: every finding labelled `correct` there must still be reported
//                    (same file, rule and line; the message may have changed). Lost ones are listed.
// --cli FILE         the CLI bundle to run (default cli/dist/cli.js), e.g. a copy built from an earlier commit for a
//                    before/after comparison on the same files and labels.
// --list             prints every finding, one line each, after the summary.
//
// Precision is correct / (correct + wrong); `unsure` labels are left out of it. A false error is a finding labelled
// wrong whose severity is error: it would fail a CI job.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    labels: { type: 'string' },
    kept: { type: 'string' },
    unlabelled: { type: 'string' },
    'target-version': { type: 'string' },
    cli: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
});
const directory = positionals[0];
if (!directory || !existsSync(directory)) {
  console.error('usage: node scripts/corpus-report.mjs DIR [--labels FILE] [--kept FILE] [--unlabelled FILE] [--target-version 4.N] [--cli FILE] [--list]');
  process.exit(2);
}
const cli = values.cli ? path.resolve(values.cli) : path.join(import.meta.dirname, '..', 'cli', 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run \`npm run build\` first (or pass --cli).`);
  process.exit(2);
}

const args = [cli, 'lint', '--format', 'json'];
if (values['target-version']) args.push('--target-version', values['target-version']);
const run = spawnSync(process.execPath, [...args, directory], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
if (run.status !== 0 && run.status !== 1) {
  console.error(`The CLI failed (exit ${run.status ?? run.signal}):\n${run.stderr}`);
  process.exit(2);
}
const report = JSON.parse(run.stdout);

const root = path.resolve(directory);
const findings = report.files.flatMap((file) => file.findings.map((finding) => {
  const relative = path.relative(root, path.resolve(file.path)).split(path.sep).join('/');
  const hash = createHash('sha1').update(finding.message).digest('hex').slice(0, 8);
  return { ...finding, path: relative, key: [relative, `${finding.line}:${finding.column}`, finding.rule, hash].join('\t') };
}));

function readLabels(file) {
  const labels = new Map();
  if (!file || !existsSync(file)) return labels;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [file_, position, rule, hash, label, note = '', message = ''] = line.split('\t');
    labels.set([file_, position, rule, hash].join('\t'), { path: file_, line: Number(position.split(':')[0]), rule, label, note, message });
  }
  return labels;
}

const labels = readLabels(values.labels);
const perRule = new Map();
const unlabelled = [];
let correct = 0;
let wrong = 0;
let unsure = 0;
const falseErrors = [];
for (const finding of findings) {
  const row = perRule.get(finding.rule) ?? { error: 0, warning: 0, info: 0, correct: 0, wrong: 0, unsure: 0, unlabelled: 0 };
  perRule.set(finding.rule, row);
  row[finding.severity]++;
  const label = labels.get(finding.key)?.label;
  if (label === 'correct') (row.correct++, correct++);
  else if (label === 'wrong') {
    row.wrong++;
    wrong++;
    if (finding.severity === 'error') falseErrors.push(finding);
  } else if (label === 'unsure') (row.unsure++, unsure++);
  else (row.unlabelled++, unlabelled.push(finding));
}

const layering = report.files.length;
console.log(`${layering} layering Containerfiles under ${directory}: ${findings.length} findings.`);
console.log('');
console.log('rule                           error warn  info | correct wrong unsure unlabelled');
for (const [rule, row] of [...perRule].sort((a, b) => a[0].localeCompare(b[0]))) {
  const cells = [row.error, row.warning, row.info].map((n) => String(n).padStart(5)).join(' ');
  const labelCells = [row.correct, row.wrong, row.unsure, row.unlabelled].map((n, i) => String(n).padStart([7, 5, 6, 10][i])).join(' ');
  console.log(`${rule.padEnd(30)} ${cells} | ${labelCells}`);
}
if (labels.size > 0) {
  const decided = correct + wrong;
  const precision = decided === 0 ? 'n/a' : `${((100 * correct) / decided).toFixed(1)}%`;
  console.log('');
  console.log(`precision: ${precision} (${correct} correct, ${wrong} wrong, ${unsure} unsure, ${unlabelled.length} unlabelled)`);
  console.log(`false errors: ${falseErrors.length}`);
  for (const finding of falseErrors) console.log(`  ${finding.path}:${finding.line} [${finding.rule}] ${finding.message}`);
}

if (values.kept) {
  const earlier = [...readLabels(values.kept).values()].filter((label) => label.label === 'correct');
  const present = new Set(findings.map((finding) => `${finding.path}\t${finding.rule}\t${finding.line}`));
  const lost = earlier.filter((label) => !present.has(`${label.path}\t${label.rule}\t${label.line}`));
  console.log('');
  console.log(`true findings kept: ${earlier.length - lost.length} of ${earlier.length}`);
  for (const label of lost) console.log(`  lost ${label.path}:${label.line} [${label.rule}] ${label.message}`);
}

if (values.unlabelled && unlabelled.length > 0) {
  const rows = unlabelled.map((finding) => `${finding.key}\t?\t\t${finding.severity}: ${finding.message.replace(/\s+/g, ' ')}`);
  appendFileSync(values.unlabelled, `${rows.join('\n')}\n`);
  console.log(`\n${unlabelled.length} unlabelled findings appended to ${values.unlabelled}`);
}

if (values.list) {
  console.log('');
  for (const finding of findings) {
    const label = labels.get(finding.key)?.label ?? '?';
    console.log(`${label.padEnd(7)} ${finding.path}:${finding.line}:${finding.column} ${finding.severity} [${finding.rule}] ${finding.message}`);
  }
}
