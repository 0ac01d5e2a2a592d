// Runs every benchmark under test/bench (files named *.bench.ts), one process each, in name order.
// Each prints `name: value unit` lines; ratios are measured against a named peer in the same run.
// --expose-gc lets a benchmark measure the memory it retains (the cluster benchmark does).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const directory = path.join(import.meta.dirname, '..', 'test', 'bench');
const only = process.argv.slice(2);
let failed = false;
for (const file of readdirSync(directory).filter((name) => name.endsWith('.bench.ts')).sort()) {
  if (only.length > 0 && !only.some((word) => file.includes(word))) continue;
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(directory, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${file} failed with exit code ${result.status ?? result.signal}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
