import { finalStage, isFrom, rootStage, type Stage } from '../containerfile/model';
import type { LineIndex, Range } from '../text';
import type { Fix, Rule, RuleContext, RuleFinding } from './types';

/** `spec.containerFile[].content` maxLength in the MachineOSConfig CRD (openshift/api types_machineosconfig.go). */
export const MACHINE_OS_CONFIG_CONTENT_LIMIT = 4096;

/**
 * In on-cluster layering the MCO appends this text to its own build template, whose last stage `configs` is the base
 * image with the pool's rendered MachineConfig applied (MCO Containerfile.on-cluster-build-template); the build has no
 * `--target`, so the last stage is the image every node boots. Hence: the last stage must build on `configs`
 * (`FROM configs AS final`, "must be the last image in the build"; earlier builder stages are allowed,
 * docs/onclusterlayering-quickstart.md), an ARG before the first FROM lands inside the template's configs stage and is
 * no longer global, and the content must fit the CRD's 4096 characters (MCO-FACTS section 6).
 */
export const onClusterFromConfigs: Rule = {
  id: 'on-cluster-from-configs',
  defaultSeverity: 'error',
  summary: 'On-cluster (MachineOSConfig) content does not end in a `FROM configs AS final` stage, or does not fit 4096 characters.',
  check(context) {
    if (context.mode !== 'on-cluster') return [];
    const { model } = context;
    const findings: RuleFinding[] = [];
    const last = finalStage(model);
    // A fragment (no FROM) has a stand-in stage with no image: the same case as no stage at all.
    if (!last || model.fragment) {
      // Comments only: nothing is appended and the image is the configs stage itself, which is fine.
      if (model.instructions.length > 0) findings.push({
        message: 'On-cluster Containerfile content should start with `FROM configs AS final`: without a FROM, its instructions run inside the MCO\'s own template stage and the MCO logs a validation failure.',
        range: model.instructions[0]!.keywordRange,
        severity: 'warning',
      });
    } else {
      const root = rootStage(model, last);
      const fromConfigs = root.from.image?.raw.toLowerCase() === 'configs';
      if (!fromConfigs) {
        findings.push({
          message: `The last stage builds on ${root.from.image?.raw ?? 'nothing'}, not on the MCO's configs stage: the nodes would boot an image without the pool's MachineConfig. End with \`FROM configs AS final\`.`,
          range: root.from.image?.range ?? root.from.keywordRange,
        });
      } else if (context.facts.onClusterLayering === 'none') {
        findings.push({
          message: `On-cluster layering (MachineOSConfig) needs OpenShift 4.16 or later, and the target is ${context.facts.label}: build this image outside the cluster FROM the rhel-coreos digest instead.`,
          range: root.from.image!.range,
          severity: 'warning',
        });
      }
      if (fromConfigs && last.from.stageName !== 'final') findings.push(nameFinal(context, last));
    }
    findings.push(...leadingArgsInFrom(context));
    const overflow = overflowRange(context.model.text, context.model.lines);
    if (overflow) {
      findings.push({
        message: `This content is ${overflow.length} characters, and a MachineOSConfig containerFile holds at most ${MACHINE_OS_CONFIG_CONTENT_LIMIT} (CRD limit), so the API server rejects it from here on. Shorten it: drop comments, join RUNs, or move steps into an RPM or a script the build downloads.`,
        range: overflow.range,
      });
    }
    return findings;
  },
};

function nameFinal(context: RuleContext, last: Stage): RuleFinding {
  const from = last.from;
  const nameTaken = context.model.stages.some((stage) => stage !== last && stage.from.stageName === 'final');
  let fixes: Fix[] = [];
  if (!nameTaken && from.stageNameRange) {
    fixes = [{ kind: 'edit', title: 'Name the stage `final`', edits: [{ range: from.stageNameRange, newText: 'final' }], preferred: true }];
  } else if (!nameTaken && from.image && from.range.end.line === from.image.range.end.line && sameEnd(from.range, from.image.range)) {
    fixes = [{ kind: 'edit', title: 'Add `AS final`', edits: [{ range: { start: from.image.range.end, end: from.image.range.end }, newText: ' AS final' }], preferred: true }];
  }
  return {
    message: `Name the last stage \`final\` (\`FROM ${from.image?.raw ?? 'configs'} AS final\`), the form the MCO documents for on-cluster builds.`,
    range: from.stageNameRange ?? from.image?.range ?? from.keywordRange,
    severity: 'warning',
    fixes,
  };
}

/** Global ARGs used in FROM lines: in the combined file they sit after the template's stages, so FROM sees them empty. */
function leadingArgsInFrom(context: RuleContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const instruction of context.model.instructions) {
    if (!isFrom(instruction) || !instruction.image || instruction.baseStageIndex !== undefined) continue;
    const leading = instruction.image.variables.filter((name) => context.model.globalArgs.has(name));
    if (leading.length === 0) continue;
    findings.push({
      message: `${leading.map((name) => `\`${name}\``).join(', ')} ${leading.length > 1 ? 'come' : 'comes'} from an ARG before the first FROM, which the on-cluster build appends after the MCO's template stages: the ARG is no longer global and this FROM gets an empty value. Write the image into the FROM line.`,
      range: instruction.image.range,
    });
  }
  return findings;
}

/** Where the content passes the CRD limit (counted in characters, as the API server does), to the end of that line. */
function overflowRange(text: string, lines: LineIndex): { length: number; range: Range } | undefined {
  const content = text.replace(/\s+$/, '');
  if (content.length <= MACHINE_OS_CONFIG_CONTENT_LIMIT) return undefined;
  let characters = 0;
  let overflowOffset: number | undefined;
  for (let offset = 0; offset < content.length; ) {
    const codePoint = content.codePointAt(offset)!;
    if (characters === MACHINE_OS_CONFIG_CONTENT_LIMIT && overflowOffset === undefined) overflowOffset = offset;
    characters++;
    offset += codePoint > 0xffff ? 2 : 1;
  }
  if (overflowOffset === undefined) return undefined;
  const lineEnd = lines.lineEnd(lines.positionAt(overflowOffset).line);
  return { length: characters, range: lines.rangeOf(overflowOffset, Math.max(lineEnd, overflowOffset + 1)) };
}

function sameEnd(a: Range, b: Range): boolean {
  return a.end.line === b.end.line && a.end.character === b.end.character;
}
