// @vscode/test-cli configuration: `npm run test:vscode` runs the in-editor suites (test/integration, built to
// out/test/integration by scripts/e2e-build.mjs) in desktop VS Code through @vscode/test-electron.
// It downloads VS Code unless VSCODE_EXECUTABLE names an installed one. Where VS Code cannot be downloaded or
// installed, `npm run test:e2e` runs the same suites in code-server.
//
//   VSCODE_EXECUTABLE=/usr/share/code/code npm run test:vscode
//   VSCODE_TEST_VERSION=1.108.0 npm run test:vscode        (default: stable)
import { defineConfig } from '@vscode/test-cli';
import { cpSync, rmSync } from 'node:fs';

// A fresh copy of the fixture workspace (tests may edit it).
const workspace = '.vscode-test/workspace';
rmSync(workspace, { recursive: true, force: true });
cpSync('test/fixtures/workspace', workspace, { recursive: true });

export default defineConfig({
  label: 'in-editor',
  files: 'out/test/integration/**/*.test.js',
  version: process.env.VSCODE_TEST_VERSION ?? 'stable',
  ...(process.env.VSCODE_EXECUTABLE ? { useInstallation: { fromPath: process.env.VSCODE_EXECUTABLE } } : {}),
  extensionDevelopmentPath: '.',
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 20_000 },
});
