// Copies the README pictures from the last `npm run test:e2e` into docs/screenshots/.
//
// Scenarios save cropped step screenshots named `NN-readme-<name>.png` (Workbench.screenshot('readme-<name>', { clip }))
// under test-results/screenshots/ (ignored); this copies each as docs/screenshots/<name>.png (committed, shown in the
// README, not packaged: .vscodeignore is an allow-list). Fails when one is missing or larger than 200 KB.
//
//   npm run test:e2e && npm run screenshots
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(root, 'test-results', 'screenshots');
const to = path.join(root, 'docs', 'screenshots');
const MAX_BYTES = 200 * 1024;
/** The pictures the README shows. */
const WANTED = ['problems', 'hover', 'quick-fix', 'generated-machineconfig', 'cluster-rollout', 'cluster-unreachable'];

function walk(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(folder, entry.name)) : [path.join(folder, entry.name)]));
}

const found = new Map();
for (const file of walk(from)) {
  const match = /^\d+-readme-(.+)\.png$/.exec(path.basename(file));
  if (match) found.set(match[1], file); // the last one wins (files are walked in name order)
}

mkdirSync(to, { recursive: true });
const problems = [];
for (const name of WANTED) {
  const source = found.get(name);
  if (!source) {
    problems.push(`no readme-${name} screenshot under ${path.relative(root, from)} (run npm run test:e2e first)`);
    continue;
  }
  const size = statSync(source).size;
  if (size > MAX_BYTES) {
    problems.push(`${path.relative(root, source)} is ${Math.round(size / 1024)} KB (more than 200 KB): crop it tighter`);
    continue;
  }
  copyFileSync(source, path.join(to, `${name}.png`));
  console.log(`docs/screenshots/${name}.png  ${Math.round(size / 1024)} KB  (from ${path.relative(root, source)})`);
}
if (problems.length) {
  console.error(problems.map((problem) => `update-screenshots: ${problem}`).join('\n'));
  process.exit(1);
}
