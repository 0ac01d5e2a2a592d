import * as vscode from 'vscode';
import type { TrustCheck } from '../core/trust';

/** The check the extension gives the code that writes to a cluster or runs a build: the workspace must be trusted. */
export const workspaceTrust: TrustCheck = (action) =>
  vscode.workspace.isTrusted
    ? undefined
    : {
        what: `Did not ${action}`,
        why: 'the workspace is in Restricted Mode, and changing a cluster or running a build tool needs a trusted workspace',
        next: 'Trust the workspace (Manage Workspace Trust in the Command Palette), then try again.',
      };
