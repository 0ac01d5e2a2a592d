import type { Problem } from './problem';

/**
 * Asked by the code that acts outside the editor (a write to a cluster, a build that runs podman or buildah) just
 * before it acts: undefined to go ahead, or the Problem that says why not. src/core cannot see VS Code's workspace
 * trust, so whoever builds that code passes the check in: the extension a check of `workspace.isTrusted`
 * (src/vscode/trust.ts). Commands refuse early too; this check is what holds when something reaches the write another
 * way (another code path, a future command that forgets the flag).
 */
export type TrustCheck = (action: string) => Problem | undefined;
