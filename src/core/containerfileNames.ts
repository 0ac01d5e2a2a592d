/**
 * Which files are Containerfiles, in one place: the names and patterns the manifest registers for the Dockerfile
 * language (`contributes.languages`, kept equal by test/unit/manifest.test.ts), the workspace search of the commands,
 * and the CLI's directory walk.
 */
import { globToRegExp } from './glob';

export const CONTAINERFILE_FILENAMES = ['Containerfile', 'Dockerfile'] as const;
export const CONTAINERFILE_FILENAME_PATTERNS = ['Containerfile.*', '*.containerfile', 'Dockerfile.*', '*.dockerfile'] as const;

/** Every Containerfile in a workspace, for `workspace.findFiles`. */
export const CONTAINERFILE_GLOB = `**/{${[...CONTAINERFILE_FILENAMES, ...CONTAINERFILE_FILENAME_PATTERNS].join(',')}}`;

// Case-insensitive, so that `containerfile` or `build.Containerfile` found on disk are not missed.
const NAME_EXPRESSIONS = [...CONTAINERFILE_FILENAMES, ...CONTAINERFILE_FILENAME_PATTERNS].map((glob) => globToRegExp(glob, 'i'));

/** Whether a file's base name (no directory) names a Containerfile. */
export function isContainerfileName(baseName: string): boolean {
  return NAME_EXPRESSIONS.some((expression) => expression.test(baseName));
}
