/**
 * Generated MachineConfigs and MachineOSConfigs validated against the CRDs the API server uses
 * (../shared/reference/crds: openshift/api master, MCO release-4.13), with ajv over each version's
 * openAPIV3Schema. Like `oc apply` with strict field validation, unknown fields are errors (except under
 * x-kubernetes-preserve-unknown-fields). The CEL rules ajv cannot run (x-kubernetes-validations) that matter here are
 * checked by hand: name == pool, the renderedImagePushSpec patterns, DNS-1123 secret names.
 * Without ../shared these tests print why and skip.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { generateMachineConfigs, joinYamlDocuments } from '../../src/core/openshift/machineconfig';
import { generateMachineOSConfig } from '../../src/core/openshift/machineosconfig';
import { sharedReferenceDir } from '../helpers/shared';

const DIGEST = `sha256:${'5b2ba2d5'.repeat(8)}`;

interface Crd {
  spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
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

function validatorFor(crdFile: string, version: string): ValidateFunction | undefined {
  const dir = sharedReferenceDir();
  const file = dir ? path.join(dir, 'crds', crdFile) : undefined;
  if (!file || !existsSync(file)) return undefined;
  const crd = parse(readFileSync(file, 'utf8')) as Crd;
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
  assert.ok(schema, `${crdFile} has no ${version} schema`);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(toJsonSchema(schema) as object);
}

function skipWithoutShared(context: Mocha.Context, validator: ValidateFunction | undefined, what: string): ValidateFunction {
  if (!validator) {
    console.log(`      (skipped: ${what} is not present; these tests need ../shared/reference/crds)`);
    context.skip();
  }
  return validator!;
}

function errorsOf(validate: ValidateFunction, object: unknown): string[] {
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// The CRD's CEL rules for renderedImagePushSpec, as written there.
const PUSH_SPEC_CEL = [
  /^([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(:[0-9]{2,5})?(\/[a-zA-Z0-9-_]{1,61})*\/[a-zA-Z0-9-_.]+:[a-zA-Z0-9._-]+$/,
  /^[^.]+\.[^.]+\.svc:\d+\/[^/]+\/[^/]+:[^/]+$/,
];

function celErrors(object: { metadata: { name: string }; spec: Record<string, { name?: string } | string | unknown> }): string[] {
  const errors: string[] = [];
  const spec = object.spec as { machineConfigPool: { name: string }; renderedImagePushSpec: string; renderedImagePushSecret: { name: string }; baseImagePullSecret?: { name: string } };
  if (object.metadata.name !== spec.machineConfigPool.name) errors.push('MachineOSConfig name must match the referenced MachineConfigPool name');
  if (!PUSH_SPEC_CEL.some((re) => re.test(spec.renderedImagePushSpec))) errors.push('renderedImagePushSpec format');
  for (const secret of [spec.renderedImagePushSecret, spec.baseImagePullSecret]) {
    if (secret && (!DNS1123_SUBDOMAIN.test(secret.name) || secret.name.length > 253)) errors.push(`secret name ${secret.name}`);
  }
  if (!DNS1123_SUBDOMAIN.test(spec.machineConfigPool.name)) errors.push('pool name');
  return errors;
}

describe('CRD validation of generated objects', () => {
  it('MachineConfigs validate against the current and the 4.13 MachineConfig CRD', function () {
    const current = skipWithoutShared(this, validatorFor('0000_80_machine-config_01_machineconfigs.crd.yaml', 'v1'), 'the MachineConfig CRD');
    const old = validatorFor(path.join('mco-release-4.13', '0000_80_machine-config-operator_01_machineconfig.crd.yaml'), 'v1');
    const generated = generateMachineConfigs({ image: 'quay.io/example/custom:1.0', digest: DIGEST, digestSource: { kind: 'registry', tag: '1.0' }, pools: ['worker', 'master', 'infra'], containerfile: 'Containerfile', folderName: 'custom' });
    assert.ok(generated.ok);
    const documents = parseAllDocuments(joinYamlDocuments(generated.value));
    assert.equal(documents.length, 3);
    for (const document of documents) {
      const object = document.toJS() as { metadata: { name: string } };
      assert.deepEqual(errorsOf(current, object), [], object.metadata.name);
      if (old) assert.deepEqual(errorsOf(old, object), [], `${object.metadata.name} (4.13)`);
      assert.match(object.metadata.name, DNS1123_SUBDOMAIN);
    }
  });

  it('the validator is strict: a misspelt spec field is rejected', function () {
    const current = skipWithoutShared(this, validatorFor('0000_80_machine-config_01_machineconfigs.crd.yaml', 'v1'), 'the MachineConfig CRD');
    assert.deepEqual(errorsOf(current, { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: {}, spec: { osImageUrl: 'x' } }), ['/spec must NOT have additional properties (osImageUrl)']);
    assert.deepEqual(errorsOf(current, { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: {}, spec: { extensions: 'usbguard' } }), ['/spec/extensions must be array']);
  });

  it('MachineOSConfigs validate against the v1 CRD, including its CEL rules', function () {
    const validate = skipWithoutShared(this, validatorFor('0000_80_machine-config_01_machineosconfigs.crd.yaml', 'v1'), 'the MachineOSConfig CRD');
    const base = 'FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev@' + DIGEST + '\nRUN dnf install -y tmux && dnf clean all && bootc container lint\n';
    const variants = [
      { pool: 'worker', renderedImagePushSpec: 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest', renderedImagePushSecret: 'builder-dockercfg-abcde', containerfiles: [{ text: base }] },
      { pool: 'infra', renderedImagePushSpec: 'quay.io/example/os-image:infra', renderedImagePushSecret: 'push', baseImagePullSecret: 'global-pull-secret-copy', containerfiles: [{ arch: 'AMD64' as const, text: base }, { arch: 'ARM64' as const, text: base }] },
    ];
    for (const variant of variants) {
      const generated = generateMachineOSConfig({ ...variant, targetVersion: { major: 4, minor: 18 }, containerfile: 'Containerfile' });
      if (!generated.ok) assert.fail(generated.problem.why);
      const object = parseAllDocuments(generated.value.yaml)[0]!.toJS();
      assert.deepEqual(errorsOf(validate, object), [], variant.pool);
      assert.deepEqual(celErrors(object), [], variant.pool);
    }
  });

  it('the MachineOSConfig validator catches what the generator refuses (limits and enums)', function () {
    const validate = skipWithoutShared(this, validatorFor('0000_80_machine-config_01_machineosconfigs.crd.yaml', 'v1'), 'the MachineOSConfig CRD');
    const object = {
      apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineOSConfig', metadata: { name: 'worker' },
      spec: {
        machineConfigPool: { name: 'worker' }, imageBuilder: { imageBuilderType: 'PodImageBuilder' }, renderedImagePushSecret: { name: 'push' }, renderedImagePushSpec: 'quay.io/a/b:c',
        containerFile: [{ containerfileArch: 'x86_64', content: 'x'.repeat(4097) }],
      },
    };
    const errors = errorsOf(validate, object).join('\n');
    assert.match(errors, /imageBuilderType must be equal to one of the allowed values/);
    assert.match(errors, /containerfileArch must be equal to one of the allowed values/);
    assert.match(errors, /content must NOT have more than 4096 characters/);
    assert.deepEqual(celErrors({ ...object, metadata: { name: 'layered' }, spec: { ...object.spec, renderedImagePushSpec: `quay.io/a/b@${DIGEST}` } }), ['MachineOSConfig name must match the referenced MachineConfigPool name', 'renderedImagePushSpec format']);
  });

  it('the docs\' MachineOSConfig sample passes the same checks (the validator is not too strict)', function () {
    const validate = skipWithoutShared(this, validatorFor('0000_80_machine-config_01_machineosconfigs.crd.yaml', 'v1'), 'the MachineOSConfig CRD');
    const sample = parse(readFileSync(path.join(sharedReferenceDir()!, 'samples', 'ocp-docs_layered-image.machineosconfig-v1.yaml'), 'utf8'));
    assert.deepEqual(errorsOf(validate, sample), []);
    assert.deepEqual(celErrors(sample), []);
  });
});
