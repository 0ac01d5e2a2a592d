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

  it('reports an ARG declared again before each RUN that uses it once, at its first declaration', async () => {
    const run = await lint('ARG GH_TOKEN\nRUN echo build\nARG GH_TOKEN\nRUN echo again\nENV GH_TOKEN=x');
    assert.deepEqual(run.findings.map((f) => f.range.start.line), [1, 5]);
  });

  it('knows subscription-manager activation keys and organisation ids, in any case', async () => {
    const run = await lint('ARG ACTIVATION_KEY\nARG RHSM_ORG\nENV activation_key=ak-1 rhsm_org_id=123\nARG RHSM_ACTIVATION_KEY_FILE=/run/secrets/ak');
    assert.deepEqual(coveredTexts(run), ['ACTIVATION_KEY', 'RHSM_ORG', 'activation_key=ak-1', 'rhsm_org_id=123']);
  });

  it('reports a secret-named variable whose value a RUN writes into a file under /etc, at the word', async () => {
    const run = await lint([
      'ARG RHSM_ORG',
      'RUN --mount=type=secret,id=ak echo "$ACTIVATION_KEY" > /etc/insights-client/ak && \\',
      '    printf \'org=%s\\n\' "${RHSM_ORG}" >> /etc/sysconfig/rhsm-register && \\',
      '    sed -i "s/@TOKEN@/${REGISTRY_TOKEN}/" /etc/containers/auth.conf && \\',
      '    echo "$KERNEL_VERSION" > /etc/kver && echo "$API_KEY" > /tmp/not-in-etc && \\',
      '    echo "org=$RHSM_ORG" > /etc/rhsm/org.conf',
    ].join('\n'));
    assert.deepEqual(coveredTexts(run), ['RHSM_ORG', '"$ACTIVATION_KEY"', '"${RHSM_ORG}"', '"s/@TOKEN@/${REGISTRY_TOKEN}/"']);
    assert.match(run.findings[1]!.message, /^The value of ACTIVATION_KEY is written into `\/etc\/insights-client\/ak`, so it ships in the image/);
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
    for (const name of ['ACTIVATION_KEY', 'activationKey', 'RHSM_ORG', 'RHSM_ORG_ID', 'rhsm-organization']) assert.ok(looksLikeSecretName(name), name);
    for (const name of ['KERNEL_VERSION', 'ORG', 'ACTIVATION_KEY_FILE', 'AUTH_FILE', 'SECRET_PATH', 'TOKEN_URL', 'GPG_KEY_URL', 'PUBLIC_KEY', 'KEYBOARD', 'PASSTHROUGH', 'TOKENIZER', 'ACCESS_LOG']) {
      assert.ok(!looksLikeSecretName(name), name);
    }
  });
});
