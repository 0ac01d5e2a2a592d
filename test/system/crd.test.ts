/**
 * Generated MachineConfigs and MachineOSConfigs validated against the schemas the API server uses, written down in
 * test/fixtures/crds (openshift/api master; the MCO's release-4.13 CRD for 4.13), with ajv. Like `oc apply` with
 * strict field validation, unknown fields are errors (except under x-kubernetes-preserve-unknown-fields). The CEL
 * rules that matter here (name == pool, the renderedImagePushSpec patterns, DNS-1123 secret names) are applied from
 * the same fixture.
 */
import { strict as assert } from 'node:assert';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { generateMachineConfigs, joinYamlDocuments } from '../../src/core/openshift/machineconfig';
import { generateMachineOSConfig } from '../../src/core/openshift/machineosconfig';
import { fixtureText } from '../helpers/fixtures';

const DIGEST = `sha256:${'5b2ba2d5'.repeat(8)}`;

/** A file of test/fixtures/crds. */
interface CrdFacts {
  kind: string;
  version: string;
  schema: Record<string, unknown>;
  rules?: {
    nameMatchesPool: { message: string };
    dns1123Subdomain: { fields: string[]; pattern: string };
    renderedImagePushSpec: { anyOf: string[]; message: string };
  };
}

function crdFacts(file: string): CrdFacts {
  return parse(fixtureText(`crds/${file}`)) as CrdFacts;
}

/** Kubernetes structural schema → JSON Schema for ajv: closed objects unless they preserve unknown fields. */
function toJsonSchema(node: unknown, isRoot = true): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, false));
  if (node === null || typeof node !== 'object') return node;
  const input = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('x-kubernetes-') || key === 'description' || key === 'example') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonSchema(v, false)]));
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? toJsonSchema(value, false) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf' || key === 'not') {
      out[key] = toJsonSchema(value, false);
    } else {
      out[key] = value;
    }
  }
  if (input.type === 'object' && input.properties && !input['x-kubernetes-preserve-unknown-fields'] && input.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (isRoot && out.properties) {
    // metadata is validated by the API server itself (ObjectMeta), not by the CRD schema.
    (out.properties as Record<string, unknown>).metadata = { type: 'object' };
  }
  return out;
}

function validatorFor(file: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(toJsonSchema(crdFacts(file).schema) as object);
}

const MACHINECONFIG = validatorFor('machineconfig.v1.yaml');
const MACHINECONFIG_4_13 = validatorFor('machineconfig.v1.release-4.13.yaml');
const MACHINEOSCONFIG = validatorFor('machineosconfig.v1.yaml');

function errorsOf(validate: ValidateFunction, object: unknown): string[] {
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

const MOSC_RULES = crdFacts('machineosconfig.v1.yaml').rules!;
const DNS1123_SUBDOMAIN = new RegExp(MOSC_RULES.dns1123Subdomain.pattern);
const PUSH_SPEC_PATTERNS = MOSC_RULES.renderedImagePushSpec.anyOf.map((pattern) => new RegExp(pattern));

/** The MachineOSConfig CRD's CEL rules, applied as the fixture writes them down. */
function celErrors(object: { metadata: { name: string }; spec: Record<string, unknown> }): string[] {
  const errors: string[] = [];
  const spec = object.spec as { machineConfigPool: { name: string }; renderedImagePushSpec: string };
  if (object.metadata.name !== spec.machineConfigPool.name) errors.push(MOSC_RULES.nameMatchesPool.message);
  if (!PUSH_SPEC_PATTERNS.some((re) => re.test(spec.renderedImagePushSpec))) errors.push(`renderedImagePushSpec: ${MOSC_RULES.renderedImagePushSpec.message}`);
  for (const field of MOSC_RULES.dns1123Subdomain.fields) {
    const value = field.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], object);
    if (value !== undefined && !DNS1123_SUBDOMAIN.test(String(value))) errors.push(`${field}: not a DNS-1123 subdomain`);
  }
  return errors;
}

const MC = { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: {} };

describe('CRD validation of generated objects', () => {
  it('MachineConfigs validate against the current and the 4.13 MachineConfig CRD', () => {
    const generated = generateMachineConfigs({ image: 'quay.io/example/custom:1.0', digest: DIGEST, digestSource: { kind: 'registry', tag: '1.0' }, pools: ['worker', 'master', 'infra'], containerfile: 'Containerfile', folderName: 'custom' });
    assert.ok(generated.ok);
    const documents = parseAllDocuments(joinYamlDocuments(generated.value));
    assert.equal(documents.length, 3);
    for (const document of documents) {
      const object = document.toJS() as { metadata: { name: string } };
      assert.deepEqual(errorsOf(MACHINECONFIG, object), [], object.metadata.name);
      assert.deepEqual(errorsOf(MACHINECONFIG_4_13, object), [], `${object.metadata.name} (4.13)`);
      assert.match(object.metadata.name, DNS1123_SUBDOMAIN);
    }
  });

  it('the validators are strict: a misspelt spec field, a wrong type, and (4.13) a config without ignition are rejected', () => {
    assert.deepEqual(errorsOf(MACHINECONFIG, { ...MC, spec: { osImageUrl: 'x' } }), ['/spec must NOT have additional properties (osImageUrl)']);
    assert.deepEqual(errorsOf(MACHINECONFIG, { ...MC, spec: { extensions: 'usbguard' } }), ['/spec/extensions must be array']);
    assert.deepEqual(errorsOf(MACHINECONFIG_4_13, { ...MC, spec: { osImageUrl: 'x' } }), ['/spec must NOT have additional properties (osImageUrl)']);
    assert.deepEqual(errorsOf(MACHINECONFIG_4_13, { ...MC, spec: { config: { storage: {} } } }), ["/spec/config must have required property 'ignition'"]);
    // config keeps unknown fields in both: Ignition is not described by the CRD.
    assert.deepEqual(errorsOf(MACHINECONFIG, { ...MC, spec: { config: { ignition: { version: '3.4.0' }, storage: { files: [] } } } }), []);
  });

  it('MachineOSConfigs validate against the v1 CRD, including its CEL rules', () => {
    const base = 'FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev@' + DIGEST + '\nRUN dnf install -y tmux && dnf clean all && bootc container lint\n';
    const variants = [
      { pool: 'worker', renderedImagePushSpec: 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest', renderedImagePushSecret: 'builder-dockercfg-abcde', containerfiles: [{ text: base }] },
      { pool: 'infra', renderedImagePushSpec: 'quay.io/example/os-image:infra', renderedImagePushSecret: 'push', baseImagePullSecret: 'global-pull-secret-copy', containerfiles: [{ arch: 'AMD64' as const, text: base }, { arch: 'ARM64' as const, text: base }] },
    ];
    for (const variant of variants) {
      const generated = generateMachineOSConfig({ ...variant, targetVersion: { major: 4, minor: 18 }, containerfile: 'Containerfile' });
      if (!generated.ok) assert.fail(generated.problem.why);
      const object = parseAllDocuments(generated.value.yaml)[0]!.toJS();
      assert.deepEqual(errorsOf(MACHINEOSCONFIG, object), [], variant.pool);
      assert.deepEqual(celErrors(object), [], variant.pool);
    }
  });

  it('the MachineOSConfig validator catches what the generator refuses (limits, enums, required fields, CEL rules)', () => {
    const object = {
      apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineOSConfig', metadata: { name: 'worker' },
      spec: {
        machineConfigPool: { name: 'worker' }, imageBuilder: { imageBuilderType: 'PodImageBuilder' }, renderedImagePushSecret: { name: 'push' }, renderedImagePushSpec: 'quay.io/a/b:c',
        containerFile: [{ containerfileArch: 'x86_64', content: 'x'.repeat(4097) }],
      },
    };
    const errors = errorsOf(MACHINEOSCONFIG, object).join('\n');
    assert.match(errors, /imageBuilderType must be equal to one of the allowed values/);
    assert.match(errors, /containerfileArch must be equal to one of the allowed values/);
    assert.match(errors, /content must NOT have more than 4096 characters/);
    const { renderedImagePushSecret: _omitted, ...withoutSecret } = object.spec;
    assert.deepEqual(errorsOf(MACHINEOSCONFIG, { ...object, spec: { ...withoutSecret, imageBuilder: { imageBuilderType: 'Job' }, containerFile: [] } }), ["/spec must have required property 'renderedImagePushSecret'"]);
    assert.deepEqual(
      celErrors({ ...object, metadata: { name: 'layered' }, spec: { ...object.spec, renderedImagePushSpec: `quay.io/a/b@${DIGEST}`, renderedImagePushSecret: { name: 'Push_Secret' } } }),
      [MOSC_RULES.nameMatchesPool.message, `renderedImagePushSpec: ${MOSC_RULES.renderedImagePushSpec.message}`, 'spec.renderedImagePushSecret.name: not a DNS-1123 subdomain'],
    );
  });

  it('the docs\' MachineOSConfig sample passes the same checks (the validator is not too strict)', () => {
    const sample = parse(fixtureText('machineconfigs/docs/layered-image.machineosconfig.yaml'));
    assert.deepEqual(errorsOf(MACHINEOSCONFIG, sample), []);
    assert.deepEqual(celErrors(sample), []);
  });
});
