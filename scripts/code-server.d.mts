// Types for scripts/code-server.mjs (used by the TypeScript e2e harness).
export declare const repoRoot: string;
/** The current code-server release (the demo and every e2e scenario run in it). */
export declare const codeServerVersion: string;
/** The code-server release built on the oldest VS Code that engines.vscode claims (the in-editor suites run in it too). */
export declare const oldestCodeServerVersion: string;
export declare const cacheRoot: string;
export declare const chromiumPath: string;
export declare class SetupError extends Error {}
export interface CodeServerInstall {
  /** code-server's entry point (out/node/entry.js), run with `node`. */
  entry: string;
  /** The Node binary code-server was installed with and runs on (the major its release declares). */
  node: string;
  version: string;
  installDir: string;
}
export declare function browserProblems(): string[];
export declare function installProblems(): string[];
export declare function readStamp(version?: string): { codeServerVersion: string; node: string; nodeVersion: string; reports: string; installedAt: string } | undefined;
export declare function ensureCodeServer(options?: { version?: string; log?: (line: string) => void }): Promise<CodeServerInstall>;
