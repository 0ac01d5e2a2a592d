import { parseContainerfile } from '../containerfile/parse';
import { finalStage, rootStage } from '../containerfile/model';
import type { TextEdit } from '../text';

/**
 * "Use as FROM": the edit that makes a Containerfile's final image build on `image`, by rewriting the FROM of the
 * stage the final stage ultimately builds on (a `FROM builder AS final` chain is followed to its first FROM).
 */

export interface BaseImageEdit {
  readonly edit: TextEdit;
  /** The image text it replaces, when there was one. */
  readonly replaced: string | undefined;
  /** The FROM used ARG variables, which the edit replaces by a literal reference. */
  readonly variables: readonly string[];
}

export function baseImageEdit(text: string, image: string): BaseImageEdit {
  const { model } = parseContainerfile(text);
  const last = finalStage(model);
  const from = last ? rootStage(model, last).from : undefined;
  if (!from?.image) {
    return { edit: { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `FROM ${image}\n` }, replaced: undefined, variables: [] };
  }
  return { edit: { range: from.image.range, newText: image }, replaced: from.image.raw, variables: from.image.variables };
}
