import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The project's shared/reference folder (CRDs, samples): $RHCOS_SHARED_DIR (only it, when set), or `shared/` next to the checkout
 * (`../shared`), or two levels up (a worktree under wt/). Undefined when none exists.
 */
export function sharedReferenceDir(): string | undefined {
  const explicit = process.env.RHCOS_SHARED_DIR;
  const candidates = explicit ? [explicit] : [path.join(ROOT, '..', 'shared'), path.join(ROOT, '..', '..', 'shared')];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const reference = path.basename(candidate) === 'reference' ? candidate : path.join(candidate, 'reference');
    if (existsSync(reference)) return reference;
  }
  return undefined;
}

/** A file from shared/reference, or the calling test is skipped with the reason printed. */
export function sharedFile(context: Mocha.Context, relative: string): string {
  const dir = sharedReferenceDir();
  const file = dir ? path.join(dir, relative) : undefined;
  if (!file || !existsSync(file)) {
    console.log(`      (skipped: ${file ?? `shared/reference/${relative}`} is not present; this test needs ../shared/reference)`);
    context.skip();
  }
  return readFileSync(file, 'utf8');
}
