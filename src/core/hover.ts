import { BASE_IMAGE_KIND_DESCRIPTIONS, type BaseImageClassifier } from './containerfile/baseImages';
import { DOCKER_HUB, splitReference } from './image/reference';
import { isFrom, isRun, type ContainerfileModel, type ShellCommandInFile } from './containerfile/model';
import { packageOperation } from './containerfile/packages';
import { extensionProviding, kernelTypeOfPackage, type VersionFacts } from './openshift/versions';
import { containsPosition, type Position, type Range } from './text';

export interface HoverInfo {
  readonly markdown: string;
  readonly range: Range;
}

export interface HoverContext {
  readonly model: ContainerfileModel;
  readonly facts: VersionFacts;
  readonly baseImages: BaseImageClassifier;
  readonly clusterBaseImage?: string;
}

/** What to show when hovering at `position`: the FROM image, a package, or an rpm-ostree/ostree/bootc/dnf command. */
export function hoverAt(context: HoverContext, position: Position): HoverInfo | undefined {
  for (const instruction of context.model.instructions) {
    if (!containsPosition(instruction.range, position)) continue;
    if (isFrom(instruction) && instruction.image && containsPosition(instruction.image.range, position)) {
      return { markdown: imageHover(context, instruction.image.raw, instruction.image.expanded), range: instruction.image.range };
    }
    if (isRun(instruction)) return commandHover(context, instruction.commands, position);
    return undefined;
  }
  return undefined;
}

function imageHover(context: HoverContext, raw: string, expanded: string | undefined): string {
  const text = expanded ?? raw;
  const notes: string[] = [];
  if (expanded !== undefined && expanded !== raw) notes.push(`Written as \`${raw}\` (ARG defaults applied).`);
  if (expanded === undefined) notes.push(`Written as \`${raw}\`: some ARG has no default, so the image is only known at build time.`);
  return describeImage('Base image', text, context, notes);
}

/** A table of an image reference's parts and what kind of base it is, with the cluster's base image for comparison. */
export function describeImage(title: string, text: string, context: Pick<HoverContext, 'baseImages' | 'clusterBaseImage'>, notes: readonly string[] = []): string {
  const { name, domain, path, tag, digest } = splitReference(text);
  const kind = context.baseImages.classify(name);
  const lines = [`**${title}** \`${text}\``, ''];
  for (const note of notes) lines.push(note, '');
  lines.push(
    `| | |`,
    `|---|---|`,
    `| Registry | \`${domain ?? DOCKER_HUB}\` |`,
    `| Repository | \`${path}\` |`,
    `| Tag | ${tag ? `\`${tag}\`` : '–'} |`,
    `| Digest | ${digest ? `\`${digest}\`` : '– (not pinned)'} |`,
    `| Kind | ${kind ? BASE_IMAGE_KIND_DESCRIPTIONS[kind] : 'not a known CoreOS/bootc base'} |`,
  );
  if (context.clusterBaseImage) {
    const same = context.clusterBaseImage === text;
    lines.push('', `Cluster base image: \`${context.clusterBaseImage}\`${same ? ' (the same)' : ' (different)'}`);
  }
  return lines.join('\n');
}

const COMMAND_DOCS: readonly (readonly [RegExp, string])[] = [
  [/^rpm-ostree install\b/, '`rpm-ostree install` layers RPMs onto the image (4.13–4.17 docs; from 4.18 the docs use `dnf install`).'],
  [/^rpm-ostree override replace\b/, '`rpm-ostree override replace` swaps base-image packages for the given RPMs (hotfixes, kernel overrides). Follow it with `rpm-ostree cleanup -m`.'],
  [/^rpm-ostree override remove\b/, '`rpm-ostree override remove` removes base-image packages; `--install` adds replacements in the same step (the MCO switches kernels this way).'],
  [/^rpm-ostree cliwrap install-to-root\b/, '`rpm-ostree cliwrap install-to-root /` wraps `dracut`, `rpm` and friends so kernel overrides work in a container build (needed in the 4.13–4.16 docs).'],
  [/^rpm-ostree cleanup\b/, '`rpm-ostree cleanup -m` removes cached repository metadata so it does not end up in the layer.'],
  [/^ostree container commit\b/, '`ostree container commit` finishes a layer: it empties /tmp, /var/tmp and /var/cache and checks the result is a valid ostree commit (the last step of each RUN up to 4.17).'],
  [/^bootc container lint\b/, '`bootc container lint` checks the image the way a node will boot it (one kernel, no /usr/etc, /var and /run content, sysusers); the last step from 4.19.'],
  [/^(?:dnf5?|yum|microdnf) (?:install|in)\b/, '`dnf install` installs RPMs into the image (the 4.18+ docs); finish with `dnf clean all`.'],
  [/^(?:dnf5?|yum|microdnf) clean\b/, '`dnf clean all` removes the package cache from the layer.'],
];

function commandHover(context: HoverContext, commands: readonly ShellCommandInFile[], position: Position): HoverInfo | undefined {
  for (const command of commands) {
    if (!containsPosition(command.range, position)) continue;
    const operation = packageOperation(command);
    for (const pkg of operation?.packages ?? []) {
      if (!containsPosition(pkg.range, position) || !pkg.name) continue;
      const markdown = packageHover(context.facts, pkg.name, pkg.spec);
      if (markdown) return { markdown, range: pkg.range };
    }
    if (containsPosition(command.nameWord.range, position) || command.args.slice(0, 2).some((a) => containsPosition(a.range, position))) {
      const line = [command.name, ...command.args.map((a) => a.value ?? a.raw)].join(' ');
      const doc = COMMAND_DOCS.find(([re]) => re.test(line));
      if (doc) return { markdown: doc[1], range: command.range };
    }
  }
  return undefined;
}

function packageHover(facts: VersionFacts, name: string, spec: string): string | undefined {
  const extension = extensionProviding(facts, name);
  const kernel = kernelTypeOfPackage(name);
  const lines = [`**Package** \`${name}\`${spec !== name ? ` (from \`${spec}\`)` : ''}`];
  if (extension) {
    lines.push('', `Provided by the MCO extension \`${extension}\` on OpenShift ${facts.label}. Enabling it with a MachineConfig (\`spec.extensions: [${extension}]\`) is the supported way; installing it in the image too conflicts with that and can degrade the pool.`);
  }
  if (kernel === 'realtime') lines.push('', 'Realtime kernel RPM. The MCO installs these itself for `kernelType: realtime`.');
  else if (kernel === '64k-pages') lines.push('', '64k-pages kernel RPM (aarch64). The MCO installs these itself for `kernelType: 64k-pages`.');
  else if (kernel === 'default') lines.push('', 'Part of the default kernel.');
  return lines.length > 1 ? lines.join('\n') : undefined;
}
