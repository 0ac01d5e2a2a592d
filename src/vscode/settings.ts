import * as vscode from 'vscode';
import { DEFAULT_BASE_IMAGE_PATTERNS } from '../core/containerfile/baseImages';
import type { SeveritySetting } from '../core/rules/types';

export const SECTION = 'rhcosLayering';

export interface LintSettings {
  readonly enabled: boolean;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly baseImages: readonly string[];
  readonly severities: Readonly<Record<string, SeveritySetting>>;
  readonly debounceMs: number;
  readonly targetVersion: string;
}

export function readLintSettings(scope?: vscode.Uri): LintSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    enabled: config.get<boolean>('lint.enable', true),
    include: config.get<string[]>('lint.include', []),
    exclude: config.get<string[]>('lint.exclude', []),
    baseImages: config.get<string[]>('lint.baseImages', [...DEFAULT_BASE_IMAGE_PATTERNS]),
    severities: validSeverities(config.get<Record<string, unknown>>('rules', {})),
    debounceMs: Math.max(0, config.get<number>('lint.debounceMs', 150)),
    targetVersion: config.get<string>('targetVersion', 'auto'),
  };
}

function validSeverities(raw: Record<string, unknown>): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const [rule, value] of Object.entries(raw ?? {})) {
    if (value === 'off' || value === 'info' || value === 'warning' || value === 'error') out[rule] = value;
  }
  return out;
}

/** Glob match against a document, the way VS Code matches `files.exclude`-style patterns (relative or absolute). */
export function matchesAnyGlob(document: vscode.TextDocument, globs: readonly string[]): boolean {
  return globs.some((pattern) => pattern.trim() !== '' && vscode.languages.match({ pattern }, document) > 0);
}
