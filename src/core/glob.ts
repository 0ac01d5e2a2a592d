/** A shell-style glob (`*`, `?`; everything else literal) as an anchored RegExp. Never throws on odd input. */
export function globToRegExp(glob: string, flags = ''): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, flags);
}
