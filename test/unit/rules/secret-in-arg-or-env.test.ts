import { strict as assert } from 'node:assert';
import { looksLikeSecretName } from '../../../src/core/rules/secretInArgOrEnv';
import { coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'secret-in-arg-or-env';
const lint = (body: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\nRUN bootc container lint\n`);

describe('secret-in-arg-or-env', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['RHSM_PASSWORD', 'REGISTRY_TOKEN=changeme']);
  });

  it('names the place the value stays and the secret mount to use instead', async () => {
    const run = await lint('ARG RHSM_PASSWORD\nENV API_KEY=x OTHER=y\nENV GITHUB_TOKEN ghp_legacy');
    assert.deepEqual(coveredTexts(run), ['RHSM_PASSWORD', 'API_KEY=x', 'GITHUB_TOKEN']);
    const [arg, env] = run.findings;
    assert.equal(arg!.severity, 'warning');
    assert.match(arg!.message, /^ARG RHSM_PASSWORD looks like a secret, and its value stays readable in the history of every RUN after it .*`RUN --mount=type=secret,id=rhsm_password` reads it from \/run\/secrets\/rhsm_password .*--secret id=rhsm_password,src=FILE/);
    assert.match(env!.message, /^ENV API_KEY .* in the image configuration/);
  });

  it('leaves alone names of files, paths and URLs, public keys, and earlier stages', async () => {
    const run = await lint('ARG PASSWORD_FILE=/run/secrets/pw\nARG TOKEN_URL\nARG GPG_PUBLIC_KEY\nARG KERNEL_VERSION=5.14\nENV PATH=/usr/local/bin:/usr/bin');
    assert.deepEqual(run.findings, []);
    const stages = await lintRule(ID, `FROM registry.access.redhat.com/ubi9 AS build\nARG GIT_TOKEN\nRUN true\n${FROM_RHCOS}\nRUN bootc container lint\n`);
    assert.deepEqual(stages.findings, []);
  });

  it('knows secret-looking names', () => {
    for (const name of ['RHSM_PASSWORD', 'rhsm_passwd', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID_x_ACCESS_KEY', 'apiKey', 'API_KEY', 'PRIVATE_KEY', 'AUTH_TOKEN', 'CLIENT_SECRET', 'QUAY_CREDENTIALS', 'token']) {
      assert.ok(looksLikeSecretName(name), name);
    }
    for (const name of ['KERNEL_VERSION', 'AUTH_FILE', 'SECRET_PATH', 'TOKEN_URL', 'GPG_KEY_URL', 'PUBLIC_KEY', 'KEYBOARD', 'PASSTHROUGH', 'TOKENIZER', 'ACCESS_LOG']) {
      assert.ok(!looksLikeSecretName(name), name);
    }
  });
});
