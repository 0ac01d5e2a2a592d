// Types for scripts/code-server.mjs (used by the TypeScript e2e harness).
export declare const repoRoot: string;
export declare const codeServerVersion: string;
export declare const cacheRoot: string;
export declare const chromiumPath: string;
export declare class SetupError extends Error {}
export interface CodeServerInstall {
  /** code-server's entry point (out/node/entry.js), run with `node`. */
  entry: string;
  /** The Node 24 binary code-server was installed with and runs on. */
  node: string;
  version: string;
  installDir: string;
}
export declare function browserProblems(): string[];
export declare function installProblems(): string[];
export declare function readStamp(): { codeServerVersion: string; node: string; nodeVersion: string; reports: string; installedAt: string } | undefined;
export declare function ensureCodeServer(options?: { log?: (line: string) => void }): Promise<CodeServerInstall>;
