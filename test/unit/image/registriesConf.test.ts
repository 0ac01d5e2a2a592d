import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { matchesInsecurePrefix, parseRegistriesConf, readInsecureRegistries, type RegistriesConfOptions } from '../../../src/core/image/registriesConf';
import { isInsecureRegistry } from '../../../src/core/image/registry';

describe('registries.conf (insecure registries as podman reads them)', () => {
  it('v2 [[registry]] tables: prefix or location, insecure; mirror tables and other sections do not leak into them', () => {
    const parsed = parseRegistriesConf([
      'unqualified-search-registries = ["registry.fedoraproject.org", "quay.io"] # search',
      '',
      '[[registry]]',
      'location = "mirror.corp.example:5000"  # the corporate mirror',
      'insecure = true',
      '',
      '[[registry]]',
      'prefix = "quay.io/openshift-release-dev"',
      "location = 'mirror.corp.example:5000/ocp'",
      '[[registry.mirror]]',
      'location = "other.corp.example"',
      'insecure = true',
      '',
      '[[registry]]',
      'location = "Secure.Example.com/"',
      'insecure = false',
      '',
      '[aliases]',
      '"insecure" = "docker.io/library/insecure"',
    ].join('\n'));
    assert.deepEqual(parsed.registries, [
      { prefix: 'mirror.corp.example:5000', insecure: true },
      { prefix: 'quay.io/openshift-release-dev', insecure: false },
      { prefix: 'secure.example.com', insecure: false },
    ]);
  });

  it('v1 [registries.insecure] with a multi-line array; # inside strings is not a comment', () => {
    const parsed = parseRegistriesConf([
      '[registries.search]',
      "registries = ['docker.io']",
      '[registries.insecure]',
      'registries = [',
      '  "reg#1.example:5000", # first',
      "  'plain.example',",
      ']',
    ].join('\n'));
    assert.deepEqual(parsed, { registries: [], v1Insecure: ['reg#1.example:5000', 'plain.example'] });
  });

  it('TOML the hand-written subset could not read: inline tables, dotted keys, quoted keys, escapes, multi-line strings, comments anywhere', () => {
    const parsed = parseRegistriesConf([
      '# registries as an array of inline tables, over several lines, with comments between the items',
      'registry = [ # the mirrors',
      '  { location = "inline.example:5000", insecure = true }, # first',
      '  # a comment line inside the array',
      '  { prefix = "quay.io/team", location = "mirror.example/team", "insecure" = true },',
      '  { location = """',
      'multi.example""", insecure = true },',
      '  { location = "esc\\u0061ped.example", insecure = true },',
      '  { location = "secure.example" },',
      ']',
      'registries.insecure.registries = [ "dotted.example" ] # v1, written with dotted keys',
    ].join('\n'));
    assert.deepEqual(parsed, {
      registries: [
        { prefix: 'inline.example:5000', insecure: true },
        { prefix: 'quay.io/team', insecure: true },
        { prefix: 'multi.example', insecure: true },
        { prefix: 'escaped.example', insecure: true },
        { prefix: 'secure.example', insecure: false },
      ],
      v1Insecure: ['dotted.example'],
    });
  });

  it('a table header with a comment and spaces inside the brackets; a file that is not TOML contributes nothing, as podman refuses it', () => {
    assert.deepEqual(parseRegistriesConf('[[ registry ]] # mirror\n  location = "spaced.example"\n  insecure = true # yes\n').registries, [{ prefix: 'spaced.example', insecure: true }]);
    assert.deepEqual(parseRegistriesConf('[[registry]]\nlocation = "valid.example"\ninsecure = true\n[[registry]\n'), { registries: [] });
  });

  it('never throws on what it does not understand', () => {
    for (const text of ['[[registry', 'location = ', 'insecure = maybe\n[[registry]]\nlocation = "x"\ninsecure = 1', 'registries = ["a", b]', '\u0000\uffff']) {
      assert.doesNotThrow(() => parseRegistriesConf(text), text);
    }
    assert.deepEqual(parseRegistriesConf('[[registry]]\nlocation = "x"\ninsecure = 1').registries, [{ prefix: 'x', insecure: false }]);
  });

  it('matches host[:port] (any port without one), namespaces below a path prefix, and *.domain', () => {
    const prefixes = ['mirror.corp.example:5000', 'plain.example', 'reg.example/team-a', '*.lab.example'];
    assert.equal(matchesInsecurePrefix('mirror.corp.example:5000', 'ocp/rhcos', prefixes), true);
    assert.equal(matchesInsecurePrefix('mirror.corp.example:5001', 'ocp/rhcos', prefixes), false);
    assert.equal(matchesInsecurePrefix('plain.example:8443', 'x', prefixes), true);
    assert.equal(matchesInsecurePrefix('reg.example', 'team-a/image', prefixes), true);
    assert.equal(matchesInsecurePrefix('reg.example', 'team-ab/image', prefixes), false);
    assert.equal(matchesInsecurePrefix('reg.example', 'team-b/image', prefixes), false);
    assert.equal(matchesInsecurePrefix('registry.lab.example:5000', 'x', prefixes), true);
    assert.equal(matchesInsecurePrefix('lab.example', 'x', prefixes), false);
    assert.equal(isInsecureRegistry('reg.example', ['https://reg.example/ignored/path']), true);
  });

  describe('files', () => {
    let root: string;
    let options: RegistriesConfOptions;
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    };
    const entry = (location: string, insecure = true) => `[[registry]]\nlocation = "${location}"\ninsecure = ${insecure}\n`;

    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'registries-conf-'));
      options = { env: {}, homeDir: path.join(root, 'home'), systemDirectory: path.join(root, 'etc') };
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('none: nothing is insecure', async () => {
      assert.deepEqual(await readInsecureRegistries(options), { prefixes: [], files: [] });
    });

    it('the system file, its drop-ins and the user drop-ins in order; a later table with the same prefix wins', async () => {
      write(path.join(root, 'etc', 'registries.conf'), entry('a.example') + entry('b.example'));
      write(path.join(root, 'etc', 'registries.conf.d', '10-b.conf'), entry('b.example', false));
      write(path.join(root, 'etc', 'registries.conf.d', 'ignored.txt'), entry('x.example'));
      write(path.join(root, 'home', '.config', 'containers', 'registries.conf.d', '01-c.conf'), entry('c.example'));
      const found = await readInsecureRegistries(options);
      assert.deepEqual(found.prefixes, ['a.example', 'c.example']);
      assert.deepEqual(found.files.map((f) => path.relative(root, f)), ['etc/registries.conf', 'etc/registries.conf.d/10-b.conf', 'home/.config/containers/registries.conf.d/01-c.conf']);
    });

    it('a user registries.conf replaces the system one and its drop-ins; CONTAINERS_REGISTRIES_CONF replaces everything', async () => {
      write(path.join(root, 'etc', 'registries.conf'), entry('a.example'));
      write(path.join(root, 'etc', 'registries.conf.d', '10.conf'), entry('b.example'));
      write(path.join(root, 'home', '.config', 'containers', 'registries.conf'), entry('user.example'));
      assert.deepEqual((await readInsecureRegistries(options)).prefixes, ['user.example']);
      write(path.join(root, 'only.conf'), entry('only.example'));
      assert.deepEqual((await readInsecureRegistries({ ...options, env: { CONTAINERS_REGISTRIES_CONF: path.join(root, 'only.conf') } })).prefixes, ['only.example']);
    });
  });
});
