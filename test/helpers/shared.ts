import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** `../shared/reference` next to the project root, present on developer machines and in CI. */
export const SHARED_REFERENCE = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference');

/**
 * Reads a file from ../shared/reference, or skips the calling test with the reason printed, so the suite still passes
 * on a checkout without it.
 */
export function sharedFileOrSkip(context: Mocha.Context, relative: string): string {
  const file = path.join(SHARED_REFERENCE, relative);
  if (!existsSync(file)) {
    console.log(`      (skipped: ${file} is not present; these tests need ../shared/reference)`);
    context.skip();
  }
  return readFileSync(file, 'utf8');
}
