import { strict as assert } from 'node:assert';
import { parseContainerfile } from '../../../src/core/containerfile/parse';
import { isRun } from '../../../src/core/containerfile/model';
import { unwrapCommand } from '../../../src/core/containerfile/packages';

function unwrapped(body: string): { name: string; args: string[] } {
  const { model } = parseContainerfile(`FROM x\nRUN ${body}\n`);
  const run = model.instructions.find(isRun)!;
  const { name, args } = unwrapCommand(run.commands[0]!);
  return { name, args: args.map((arg) => arg.raw) };
}

describe('unwrapCommand', () => {
  it('skips wrapper options and the values they take', () => {
    assert.deepEqual(unwrapped('sudo -u core systemctl --user start foo'), { name: 'systemctl', args: ['--user', 'start', 'foo'] });
    assert.deepEqual(unwrapped('sudo -E -g wheel dnf install -y x'), { name: 'dnf', args: ['install', '-y', 'x'] });
    assert.deepEqual(unwrapped('nice -n 10 rpm-ostree install x'), { name: 'rpm-ostree', args: ['install', 'x'] });
    assert.deepEqual(unwrapped('env -u LANG FOO=1 useradd app'), { name: 'useradd', args: ['app'] });
    assert.deepEqual(unwrapped('sudo --user=core env A=b /usr/bin/podman pull q'), { name: 'podman', args: ['pull', 'q'] });
  });

  it('leaves plain commands and flag-only wrappers as before', () => {
    assert.deepEqual(unwrapped('dnf install x'), { name: 'dnf', args: ['install', 'x'] });
    assert.deepEqual(unwrapped('sudo -E dnf install x'), { name: 'dnf', args: ['install', 'x'] });
    assert.deepEqual(unwrapped('stdbuf -oL dnf install x'), { name: 'dnf', args: ['install', 'x'] });
  });
});
