import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { CONTAINERFILE_ARCHES, contentLength, MAX_CONTAINERFILE_ENTRIES, MAX_CONTENT_LENGTH } from '../../openshift/machineosconfig';
import { pairOf, scalarString } from '../../openshift/yamlDocuments';
import type { Fix, RuleFinding } from '../types';
import { rangeOfNode, v1MachineOSConfigsWithSpec, withFixes } from './helpers';
import type { YamlRule } from './types';

/**
 * The API's limits on `spec.containerFile` (entries keyed by architecture, at most 4, content length), and content
 * that cannot follow the MCO's own build, whose last stage is `configs`.
 */
export const moscContainerfile: YamlRule = {
  id: 'mosc-containerfile',
  defaultSeverity: 'error',
  summary: '`containerFile` entries break the API limits (4 entries, one per arch, 4096 characters) or do not start FROM configs.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { spec } of v1MachineOSConfigsWithSpec(context)) {
      const containerFilePair = pairOf(spec, 'containerFile');
      const containerFiles = containerFilePair?.value;
      if (!isSeq(containerFiles)) continue;
      if (containerFiles.items.length > MAX_CONTAINERFILE_ENTRIES) {
        findings.push({ range: rangeOfNode(context, containerFilePair!.key as Node)!, message: `containerFile has ${containerFiles.items.length} entries; the API allows ${MAX_CONTAINERFILE_ENTRIES}, one per architecture.` });
      }
      const seen = new Map<string, number>();
      containerFiles.items.forEach((item, index) => {
        if (!isMap(item)) return;
        const archNode = item.get('containerfileArch', true) as Node | undefined;
        const arch = scalarString(archNode) ?? 'NoArch';
        const archRange = rangeOfNode(context, archNode) ?? rangeOfNode(context, item as Node)!;
        if (!(CONTAINERFILE_ARCHES as readonly string[]).includes(arch)) {
          const upper = arch.toUpperCase() === 'NOARCH' ? 'NoArch' : ARCH_ALIASES.get(arch.toUpperCase()) ?? arch.toUpperCase();
          const fixes: Fix[] = (CONTAINERFILE_ARCHES as readonly string[]).includes(upper) && archNode ? [{ kind: 'edit', title: `Use ${upper}`, preferred: true, edits: [{ range: archRange, newText: upper }] }] : [];
          findings.push({ range: archRange, message: `containerfileArch "${arch}" is not one of ${CONTAINERFILE_ARCHES.join(', ')}.`, ...withFixes(fixes) });
        }
        if (seen.has(arch)) findings.push({ range: archRange, message: `Entries ${seen.get(arch)! + 1} and ${index + 1} are both for ${arch}; the API keys containerFile by architecture.` });
        seen.set(arch, index);
        const contentPair = pairOf(item, 'content');
        const content = contentPair?.value;
        if (!contentPair || !isScalar(content) || typeof content.value !== 'string') {
          findings.push({ range: rangeOfNode(context, item as Node)!, message: `containerFile entry ${index + 1} has no content.` });
          return;
        }
        const keyRange = rangeOfNode(context, contentPair.key as Node)!;
        const length = contentLength(content.value);
        if (length > MAX_CONTENT_LENGTH) {
          findings.push({ range: keyRange, message: `The content is ${length} characters long; the API allows ${MAX_CONTENT_LENGTH} per containerFile entry. Shorten it (comments count too), or build the image yourself and use a MachineConfig.` });
        }
        const firstInstruction = content.value.split('\n').map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
        if (firstInstruction !== undefined && !/^FROM\s+configs(?:\s+AS\s+\S+)?\s*$/i.test(firstInstruction)) {
          findings.push({ range: keyRange, message: `The content must start with FROM configs AS final: the MCO appends it to its own build, whose last stage is configs (it starts with "${firstInstruction.slice(0, 60)}").` });
        }
      });
    }
    return findings;
  },
};

/** Architecture names as `uname -m` spells them, to the API's. */
const ARCH_ALIASES: ReadonlyMap<string, string> = new Map([['X86_64', 'AMD64'], ['AARCH64', 'ARM64']]);
