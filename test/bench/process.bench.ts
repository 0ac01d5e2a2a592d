import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { largeContainerfile } from './corpus';
import { median, report } from './measure';

/**
 * The whole process, as CI jobs and pre-commit hooks run it: `rhcos-layering lint FILE` (the built cli/dist/cli.js) against
 * a process that loads dockerfile-utils and runs validate() on the same file (dockerfileUtilsValidate.cjs), with the
 * same Node, interleaved. Node's compile cache is warmed by one untimed run first, as on any machine that ran the CLI
 * before. Goal: ratio <= 1 on both files.
 */
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'cli', 'dist', 'cli.js');
const PEER = path.join(__dirname, 'dockerfileUtilsValidate.cjs');
const TWO_LINES = 'FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:5b2ba2d5b3b5c2e0e9f7b6a1c8d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6\nRUN rpm-ostree install tmux && ostree container commit\n';

function timeProcess(args: readonly string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return elapsed;
}

function compare(label: string, file: string, runs: number): void {
  const subjects = { ours: [CLI, 'lint', '--format', 'json', file], dockerfileUtils: [PEER, file], node: ['-e', '0'] } as const;
  for (const args of Object.values(subjects)) timeProcess(args);
  const times: Record<keyof typeof subjects, number[]> = { ours: [], dockerfileUtils: [], node: [] };
  const names = Object.keys(subjects) as (keyof typeof subjects)[];
  for (let run = 0; run < runs; run++) {
    for (const name of run % 2 === 0 ? names : [...names].reverse()) times[name].push(timeProcess(subjects[name]));
  }
  report(`process.lint.${label}.median`, median(times.ours), 'ms');
  report(`process.dockerfile-utils.${label}.median`, median(times.dockerfileUtils), 'ms');
  report(`process.node-startup.median`, median(times.node), 'ms');
  report(`process.lint.${label}.ratio-vs-dockerfile-utils`, median(times.ours) / median(times.dockerfileUtils), 'x'); // goal <= 1
}

const directory = mkdtempSync(path.join(tmpdir(), 'rhcos-layering-bench-'));
try {
  const small = path.join(directory, 'two-lines.Containerfile');
  const large = path.join(directory, 'large.Containerfile');
  writeFileSync(small, TWO_LINES);
  writeFileSync(large, largeContainerfile(5000));
  compare('2-line', small, 21);
  compare('5000-line', large, 9);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
