// Entry point for @vscode/test-electron's runTests({ extensionTestsPath }): runs the same suites as the e2e runner.
// Built by scripts/e2e-build.mjs to out/test/integration/index.js next to the compiled *.test.js files.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 20_000 });
  const grep = process.env.RHCOS_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-editor test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}
