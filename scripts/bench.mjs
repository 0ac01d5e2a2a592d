// `npm run bench`: runs every benchmark file (test/bench/*.bench.ts and *.bench.mjs, scripts/bench-*.mjs) one after
// the other, each in its own Node process with --expose-gc, and passes their `name: value unit` lines through.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const files = [
  ...(existsSync(path.join(root, 'test', 'bench')) ? readdirSync(path.join(root, 'test', 'bench')).filter((f) => /\.bench\.(ts|mjs)$/.test(f)).map((f) => path.join('test', 'bench', f)) : []),
  ...readdirSync(path.join(root, 'scripts')).filter((f) => /^bench-.*\.mjs$/.test(f)).map((f) => path.join('scripts', f)),
].sort().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

let failed = 0;
for (const file of files) {
  process.stdout.write(`# ${file}\n`);
  const args = ['--expose-gc', ...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`# ${file} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
