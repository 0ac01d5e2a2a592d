// The tests entry of a session with extensionMode 'test' (test/e2e/harness/code-server.ts): the window is opened with
// extensionTestsPath naming this module and extensionDevelopmentPath naming the unpacked rhcos-layering, and that
// pair is what VS Code runs in ExtensionMode.Test. The suites themselves run through the runner's bridge, as in every
// session; this module only keeps the test run open for the window's life, because VS Code ends the extension host
// when run() settles.
export function run(): Promise<void> {
  return new Promise<void>(() => undefined);
}
