import { finalExternalBase, quote } from './helpers';
import type { Rule, RuleFinding } from './types';

/**
 * The final image's base cannot be checked when its FROM depends on a build-arg without a default, or when it is a
 * placeholder copied from docs or a template (`<base-image>`, `{{.BaseOSImage}}`). Then the base-image rules stay
 * silent, and this one says so, once. Builder stages are the author's business: only the base the final image is built
 * on counts (following `FROM <stage>` links, also through ARG values).
 */
export const fromUnresolvedArg: Rule = {
  id: 'from-unresolved-arg',
  defaultSeverity: 'info',
  summary: 'The final image\'s base is an ARG without a default or a placeholder, so it cannot be checked.',
  check(context) {
    const base = finalExternalBase(context);
    if (!base) return [];
    const image = base.image;
    // `FROM <bootc base image>` does not parse (FROM takes one or three words): parse-error says so, once.
    const fromLine = base.from.range.start.line;
    if (base.isPlaceholder && context.model.buildErrors.some((error) => error.range.start.line === fromLine)) return [];
    if (base.isPlaceholder) {
      return [{
        message: `The base image ${quote(base.text)} is a placeholder, so it cannot be checked: put the image to build on there (for OpenShift, the cluster's rhel-coreos image from \`oc adm release info --image-for rhel-coreos\`).`,
        range: image.range,
      }];
    }
    if (image.unresolvedVariables.length === 0) return [];
    const names = image.unresolvedVariables;
    const declared = names.filter((name) => context.model.globalArgs.has(name));
    const how = declared.length === names.length
      ? `ARG ${names.join(', ')} ${names.length > 1 ? 'have' : 'has'} no default`
      : `${names.filter((name) => !context.model.globalArgs.has(name)).join(', ')} ${names.length > 1 ? 'are' : 'is'} not declared with ARG before the first FROM`;
    const finding: RuleFinding = {
      message: `The base image ${base.text} cannot be checked: ${how}. Give it a default (e.g. the cluster's rhel-coreos digest) or pass --build-arg.`,
      range: image.range,
    };
    return [finding];
  },
};
