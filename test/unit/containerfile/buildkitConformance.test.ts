import { strict as assert } from 'node:assert';
import { parseDockerfile, parseHeredocMarker, type DockerfileInstruction } from '../../../src/core/containerfile/dockerfile';

/**
 * BuildKit's parser test files, restated: each case is the input (condensed where a file repeats one construct many
 * times) and what BuildKit's parser reads from it, as its `result` file records it (instruction, flags, arguments).
 * Source: moby/buildkit:master:frontend/dockerfile/parser/testfiles/<name>/{Dockerfile,result},
 * testfiles-negative/<name>/Dockerfile, testfile-line/Dockerfile, parser_heredoc_test.go, parser_test.go.
 *
 * A reading is `[instruction, ...arguments]`, with the flags as an array right after the instruction when there are
 * any; ENV and LABEL arguments come in threes (key, value, separator) as in BuildKit's tree; ONBUILD holds its trigger.
 */
type Reading = (string | string[] | Reading)[];

function reading(instruction: DockerfileInstruction): Reading {
  const out: Reading = [instruction.keyword.toLowerCase()];
  if (instruction.flags.length > 0) out.push(instruction.flags.map((flag) => flag.value));
  if (instruction.trigger) out.push(reading(instruction.trigger));
  else if (instruction.pairs) for (const pair of instruction.pairs) out.push(pair.key.value, pair.value.value, pair.separator);
  else for (const arg of instruction.args) out.push(arg.value);
  return out;
}

function read(text: string): Reading[] {
  const parsed = parseDockerfile(text);
  assert.deepEqual(parsed.errors, [], 'BuildKit parses this file without error');
  return parsed.instructions.map(reading);
}

const CASES: readonly { readonly name: string; readonly input: string; readonly expect: readonly Reading[] }[] = [
  {
    name: 'ADD-COPY-with-JSON',
    input: 'FROM\tubuntu:14.04\nLABEL\tmaintainer\tSeongyeol Lim <seongyeol37@gmail.com>\n\nCOPY\t.\t/go/src/github.com/docker/docker\nADD\t\t.\t/\nADD\t\tnull /\nADD\t\t[ "vimrc", "/tmp" ]\nCOPY\t[ "test file", "/tmp" ]\nADD\t\t[ "test file", "/tmp/test file" ]\n',
    expect: [['from', 'ubuntu:14.04'], ['label', 'maintainer', 'Seongyeol Lim <seongyeol37@gmail.com>', ''], ['copy', '.', '/go/src/github.com/docker/docker'],
      ['add', '.', '/'], ['add', 'null', '/'], ['add', 'vimrc', '/tmp'], ['copy', 'test file', '/tmp'], ['add', 'test file', '/tmp/test file']],
  },
  {
    name: 'args',
    input: 'ARG foo bar=baz\nFROM ubuntu\nARG abc="123 456" def\n',
    expect: [['arg', 'foo', 'bar=baz'], ['from', 'ubuntu'], ['arg', 'abc="123 456"', 'def']],
  },
  {
    name: 'brimstone-consuldock (escape directive, blank lines inside a continuation, tabs kept)',
    input: "#escape=\\\nFROM brimstone/ubuntu:14.04\n\n# TORUN -v /var/run/docker.sock:/var/run/docker.sock\n\nENV GOPATH /go\nENTRYPOINT [\"/usr/local/bin/consuldock\"]\n\nRUN apt-get update \\\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.clean \\\n    && apt-get clean \\\n\n\t&& go get -v github.com/brimstone/consuldock \\\n\t&& rm -rf $GOPATH\n",
    expect: [['from', 'brimstone/ubuntu:14.04'], ['env', 'GOPATH', '/go', ''], ['entrypoint', '/usr/local/bin/consuldock'],
      ['run', "apt-get update \t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.clean     && apt-get clean \t&& go get -v github.com/brimstone/consuldock \t&& rm -rf $GOPATH"]],
  },
  {
    name: 'brimstone-docker-consul (empty JSON, EXPOSE list, continued words)',
    input: 'FROM brimstone/ubuntu:14.04\n\nCMD []\n\nENTRYPOINT ["/usr/bin/consul", "agent", "-server", "-data-dir=/consul"]\n\nEXPOSE 8500 8600 8400 8301 8302\n\nRUN cd /tmp \\\n    && wget https://dl.bintray.com/mitchellh/consul/0.3.1_web_ui.zip \\\n       -O web_ui.zip \\\n    && rm web_ui.zip\n',
    expect: [['from', 'brimstone/ubuntu:14.04'], ['cmd'], ['entrypoint', '/usr/bin/consul', 'agent', '-server', '-data-dir=/consul'],
      ['expose', '8500', '8600', '8400', '8301', '8302'], ['run', 'cd /tmp     && wget https://dl.bintray.com/mitchellh/consul/0.3.1_web_ui.zip        -O web_ui.zip     && rm web_ui.zip']],
  },
  { name: 'continue-at-eof', input: 'FROM alpine:3.5\n\nRUN something \\', expect: [['from', 'alpine:3.5'], ['run', 'something']] },
  {
    name: 'continueIndent',
    input: 'FROM ubuntu:14.04\n\nRUN echo hello\\\n  world\\\n  goodnight  \\\n  moon\\\n  light\\\nning\nRUN echo hello  \\\n  world\nRUN echo hello  \\\nworld\nRUN echo hello \\\ngoodbye\\\nfrog\nRUN echo hello  \\  \nworld\nRUN echo hi \\\n \\\n world \\\n\\\n good\\\n\\\nnight\nRUN echo goodbye\\\nfrog\nRUN echo good\\\nbye\\\nfrog\n\nRUN echo hello \\\n# this is a comment\n\n# this is a comment with a blank line surrounding it\n\nthis is some more useful stuff\n',
    expect: [['from', 'ubuntu:14.04'], ['run', 'echo hello  world  goodnight    moon  lightning'], ['run', 'echo hello    world'], ['run', 'echo hello  world'],
      ['run', 'echo hello goodbyefrog'], ['run', 'echo hello  world'], ['run', 'echo hi   world  goodnight'], ['run', 'echo goodbyefrog'], ['run', 'echo goodbyefrog'],
      ['run', 'echo hello this is some more useful stuff']],
  },
  {
    name: 'cpuguy83-nagios (quotes, ${} and subshells stay in the RUN text; ADD URL with query)',
    input: 'FROM cpuguy83/ubuntu\nENV NAGIOS_HOME /opt/nagios\nRUN ( egrep -i  "^${NAGIOS_GROUP}" /etc/group || groupadd $NAGIOS_GROUP )\nADD http://downloads.sourceforge.net/nagios-3.5.1.tar.gz?r=http%3A%2F%2Fwww.nagios.org&ts=1398863718 /tmp/nagios.tar.gz\nRUN sed -i.bak \'s/.*\\=www\\-data//g\' /etc/apache2/envvars\nRUN echo "SetEnv TZ \\"${NAGIOS_TIMEZONE}\\"" >> /etc/apache2/conf.d/nagios.conf\nRUN sed -i \'s,/bin/mail,/usr/bin/mail,\' /opt/nagios/etc/objects/commands.cfg && \\\n  sed -i \'s,/usr/usr,/usr,\' /opt/nagios/etc/objects/commands.cfg\nVOLUME ["/opt/nagios/var", "/opt/nagios/etc"]\nCMD ["/usr/local/bin/start_nagios"]\n',
    expect: [['from', 'cpuguy83/ubuntu'], ['env', 'NAGIOS_HOME', '/opt/nagios', ''], ['run', '( egrep -i  "^${NAGIOS_GROUP}" /etc/group || groupadd $NAGIOS_GROUP )'],
      ['add', 'http://downloads.sourceforge.net/nagios-3.5.1.tar.gz?r=http%3A%2F%2Fwww.nagios.org&ts=1398863718', '/tmp/nagios.tar.gz'],
      ['run', "sed -i.bak 's/.*\\=www\\-data//g' /etc/apache2/envvars"], ['run', 'echo "SetEnv TZ \\"${NAGIOS_TIMEZONE}\\"" >> /etc/apache2/conf.d/nagios.conf'],
      ['run', "sed -i 's,/bin/mail,/usr/bin/mail,' /opt/nagios/etc/objects/commands.cfg &&   sed -i 's,/usr/usr,/usr,' /opt/nagios/etc/objects/commands.cfg"],
      ['volume', '/opt/nagios/var', '/opt/nagios/etc'], ['cmd', '/usr/local/bin/start_nagios']],
  },
  {
    name: 'docker (comment header, tab separators, a continued ENV value, commented lines between instructions)',
    input: '# This file describes the standard way to build Docker\n#\n# # Assemble the full dev environment.\n\nFROM\tubuntu:14.04\nRUN\tapt-get update && apt-get install -yq \\\n\tapt-utils \\\n\ts3cmd=1.1.0* \\\n\t--no-install-recommends\n# see https://git.fedorahosted.org/cgit/lvm2.git/refs/tags for release tags\nENV\tPATH\t/usr/local/go/bin:$PATH\nENV\tDOCKER_CROSSPLATFORMS\t\\\n\tlinux/386 linux/arm \\\n\tfreebsd/amd64 freebsd/386 freebsd/arm\n# (set an explicit GOARM of 5 for maximum compatibility)\nRUN\tcd /usr/local/go/src && bash -xc \'for platform in $DOCKER_CROSSPLATFORMS; do GOOS=${platform%/*} ./make.bash --no-clean 2>&1; done\'\nRUN\t/bin/echo -e \'[default]\\naccess_key=$AWS_ACCESS_KEY\' > /.s3cfg\nVOLUME\t/var/lib/docker\nWORKDIR\t/go/src/github.com/docker/docker\nENV\tDOCKER_BUILDTAGS\tapparmor selinux\nENTRYPOINT\t["hack/dind"]\nCOPY\t.\t/go/src/github.com/docker/docker\n',
    expect: [['from', 'ubuntu:14.04'], ['run', 'apt-get update && apt-get install -yq \tapt-utils \ts3cmd=1.1.0* \t--no-install-recommends'],
      ['env', 'PATH', '/usr/local/go/bin:$PATH', ''], ['env', 'DOCKER_CROSSPLATFORMS', 'linux/386 linux/arm \tfreebsd/amd64 freebsd/386 freebsd/arm', ''],
      ['run', "cd /usr/local/go/src && bash -xc 'for platform in $DOCKER_CROSSPLATFORMS; do GOOS=${platform%/*} ./make.bash --no-clean 2>&1; done'"],
      ['run', "/bin/echo -e '[default]\\naccess_key=$AWS_ACCESS_KEY' > /.s3cfg"], ['volume', '/var/lib/docker'], ['workdir', '/go/src/github.com/docker/docker'],
      ['env', 'DOCKER_BUILDTAGS', 'apparmor selinux', ''], ['entrypoint', 'hack/dind'], ['copy', '.', '/go/src/github.com/docker/docker']],
  },
  {
    name: 'env (legacy and key=value forms, quotes and escapes kept, a continuation at the end of the file)',
    input: 'FROM ubuntu\nENV name value\nENV name=value\nENV name=value name2=value2\nENV name="value value1"\nENV name=value\\ value2\nENV name="value\'quote space\'value2"\nENV name=\'value"double quote"value2\'\nENV name=value\\ value2 name2=value2\\ value3\nENV name="a\\"b"\nENV name="a\\\'b"\nENV name=\'a\\\'b\'\nENV name=\'a\\\'b\'\'\nENV name=\'a\\"b\'\nENV name="\'\'"\nENV name=value \\\n    name1=value1 \\\n    name2="value2a \\\n           value2b" \\\n    name3="value3a\\n\\"value3b\\"" \\\n\tname4="value4a\\\\nvalue4b" \\\n',
    expect: [['from', 'ubuntu'], ['env', 'name', 'value', ''], ['env', 'name', 'value', '='], ['env', 'name', 'value', '=', 'name2', 'value2', '='],
      ['env', 'name', '"value value1"', '='], ['env', 'name', 'value\\ value2', '='], ['env', 'name', '"value\'quote space\'value2"', '='],
      ['env', 'name', '\'value"double quote"value2\'', '='], ['env', 'name', 'value\\ value2', '=', 'name2', 'value2\\ value3', '='],
      ['env', 'name', '"a\\"b"', '='], ['env', 'name', '"a\\\'b"', '='], ['env', 'name', "'a\\'b'", '='], ['env', 'name', "'a\\'b''", '='],
      ['env', 'name', '\'a\\"b\'', '='], ['env', 'name', '"\'\'"', '='],
      ['env', 'name', 'value', '=', 'name1', 'value1', '=', 'name2', '"value2a            value2b"', '=', 'name3', '"value3a\\n\\"value3b\\""', '=', 'name4', '"value4a\\\\nvalue4b"', '=']],
  },
  {
    name: 'escape-after-comment (a directive after a comment is a comment)',
    input: '# Comment here. Should not be looking for the following parser directive.\n# escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH \\\n\\go',
    expect: [['from', 'image'], ['label', 'maintainer', 'foo@bar.com', ''], ['env', 'GOPATH', '\\go', '']],
  },
  {
    name: 'escape-nonewline',
    input: '# escape = `\n# There is no white space line after the directives.\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go\n',
    expect: [['from', 'image'], ['label', 'maintainer', 'foo@bar.com', ''], ['env', 'GOPATH', '\\go', '']],
  },
  { name: 'escape-with-syntax', input: '# syntax = docker/dockerfile\n# escape = `\n\nFROM `\n    image\n', expect: [['from', 'image']] },
  {
    name: 'escape',
    input: '#escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go',
    expect: [['from', 'image'], ['label', 'maintainer', 'foo@bar.com', ''], ['env', 'GOPATH', '\\go', '']],
  },
  {
    name: 'escapes',
    input: 'FROM ubuntu:14.04\nLABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>\\"\n\nRUN apt-get \\update && \\\n  apt-get \\"install znc -y\nADD \\conf\\\\" /.znc\n\nRUN foo \\\n\nbar \\\n\nbaz\n\nCMD [ "\\/usr\\\\\\"/bin/znc", "-f", "-r" ]\n',
    expect: [['from', 'ubuntu:14.04'], ['label', 'maintainer', 'Erik \\\\Hollensbe <erik@hollensbe.org>\\"', ''], ['run', 'apt-get \\update &&   apt-get \\"install znc -y'],
      ['add', '\\conf\\\\"', '/.znc'], ['run', 'foo bar baz'], ['cmd', '/usr\\"/bin/znc', '-f', '-r']],
  },
  {
    name: 'flags (a bare -- ends the flags and is dropped)',
    input: 'FROM scratch\nCOPY foo /tmp/\nCOPY --user=me foo /tmp/\nCOPY --doit=true foo /tmp/\nCOPY --user=me --doit=true foo /tmp/\nCOPY --doit=true -- foo /tmp/\nCOPY -- foo /tmp/\nCMD --doit [ "a", "b" ]\nCMD --doit=true -- [ "a", "b" ]\nCMD --doit -- [ ]\n',
    expect: [['from', 'scratch'], ['copy', 'foo', '/tmp/'], ['copy', ['--user=me'], 'foo', '/tmp/'], ['copy', ['--doit=true'], 'foo', '/tmp/'],
      ['copy', ['--user=me', '--doit=true'], 'foo', '/tmp/'], ['copy', ['--doit=true'], 'foo', '/tmp/'], ['copy', 'foo', '/tmp/'],
      ['cmd', ['--doit'], 'a', 'b'], ['cmd', ['--doit=true'], 'a', 'b'], ['cmd', ['--doit']]],
  },
  {
    name: 'health',
    input: 'FROM debian\nADD check.sh main.sh /app/\nCMD /app/main.sh\nHEALTHCHECK\nHEALTHCHECK --interval=5s --timeout=3s --retries=3 \\\n  CMD /app/check.sh --quiet\nHEALTHCHECK CMD\nHEALTHCHECK   CMD   a b\nHEALTHCHECK --timeout=3s CMD ["foo"]\nHEALTHCHECK CONNECT TCP 7000\n',
    expect: [['from', 'debian'], ['add', 'check.sh', 'main.sh', '/app/'], ['cmd', '/app/main.sh'], ['healthcheck'],
      ['healthcheck', ['--interval=5s', '--timeout=3s', '--retries=3'], 'CMD', '/app/check.sh --quiet'], ['healthcheck', 'CMD'], ['healthcheck', 'CMD', 'a b'],
      ['healthcheck', ['--timeout=3s'], 'CMD', 'foo'], ['healthcheck', 'CONNECT', 'TCP 7000']],
  },
  {
    name: 'influxdb, mail, mumble, nginx, tf2, weechat, znc, multiple-volumes (plain instructions)',
    input: 'FROM ubuntu:14.04\n\nRUN apt-get update && apt-get install wget -y\nVOLUME /opt/influxdb/shared\nVOLUME /opt/nagios/var /opt/nagios/etc /var/log/apache2\nCMD /usr/bin/influxdb --pidfile /var/run/influxdb.pid -config /opt/influxdb/shared/config.toml\nEXPOSE 8083\nRUN echo "export TERM=screen-256color" >/.zshenv\nCMD setsid cron; tmux -2\nCMD ["/usr/sbin/nginx"]\nCMD [ "/usr/bin/znc", "-f", "-r" ]\nRUN curl http://media.steampowered.com/client/steamcmd_linux.tar.gz | tar vxz -C /steam\nADD ./script /steam/script\nCMD zsh -c weechat\n',
    expect: [['from', 'ubuntu:14.04'], ['run', 'apt-get update && apt-get install wget -y'], ['volume', '/opt/influxdb/shared'],
      ['volume', '/opt/nagios/var', '/opt/nagios/etc', '/var/log/apache2'], ['cmd', '/usr/bin/influxdb --pidfile /var/run/influxdb.pid -config /opt/influxdb/shared/config.toml'],
      ['expose', '8083'], ['run', 'echo "export TERM=screen-256color" >/.zshenv'], ['cmd', 'setsid cron; tmux -2'], ['cmd', '/usr/sbin/nginx'], ['cmd', '/usr/bin/znc', '-f', '-r'],
      ['run', 'curl http://media.steampowered.com/client/steamcmd_linux.tar.gz | tar vxz -C /steam'], ['add', './script', '/steam/script'], ['cmd', 'zsh -c weechat']],
  },
  { name: 'jeztah-invalid-json-json-inside-string-double', input: 'CMD "[\\"echo\\", \\"Phew, I just managed to escaped those double quotes\\"]"\n', expect: [['cmd', '"[\\"echo\\", \\"Phew, I just managed to escaped those double quotes\\"]"']] },
  { name: 'jeztah-invalid-json-json-inside-string', input: 'CMD \'["echo", "Well, JSON in a string is JSON too?"]\'\n', expect: [['cmd', '\'["echo", "Well, JSON in a string is JSON too?"]\'']] },
  { name: 'jeztah-invalid-json-single-quotes', input: "CMD ['echo','single quotes are invalid JSON']\n", expect: [['cmd', "['echo','single quotes are invalid JSON']"]] },
  { name: 'jeztah-invalid-json-unterminated-bracket', input: 'CMD ["echo", "Please, close the brackets when you\'re done"\n', expect: [['cmd', '["echo", "Please, close the brackets when you\'re done"']] },
  { name: 'jeztah-invalid-json-unterminated-string', input: 'CMD ["echo", "look ma, no quote!]\n', expect: [['cmd', '["echo", "look ma, no quote!]']] },
  {
    name: 'json',
    input: 'CMD []\nCMD [""]\nCMD ["a"]\nCMD ["a","b"]\nCMD [ "a", "b" ]\nCMD [\t"a",\t"b"\t]\nCMD\t[\t"a",\t"b"\t]\t\nCMD ["abc 123", "♥", "☃", "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000"]\n',
    expect: [['cmd'], ['cmd', ''], ['cmd', 'a'], ['cmd', 'a', 'b'], ['cmd', 'a', 'b'], ['cmd', 'a', 'b'], ['cmd', 'a', 'b'], ['cmd', 'abc 123', '♥', '☃', '" \\ / \b \f \n \r \t \u0000']],
  },
  {
    name: 'kartar-entrypoint-oddities',
    input: 'FROM ubuntu:14.04\nLABEL maintainer James Turnbull "james@example.com"\nENV REFRESHED_AT 2014-06-01\nENTRYPOINT [ "/usr/bin/redis-server" ]\n',
    expect: [['from', 'ubuntu:14.04'], ['label', 'maintainer', 'James Turnbull "james@example.com"', ''], ['env', 'REFRESHED_AT', '2014-06-01', ''], ['entrypoint', '/usr/bin/redis-server']],
  },
  {
    name: 'lk4d4-the-edge-case-generator (ONBUILD, a continuation in a comment, quotes in exec form)',
    input: 'FROM busybox:buildroot-2014.02\n\nONBUILD RUN ["echo", "test"]\nONBUILD RUN echo test\nONBUILD COPY . /\n\n\n# RUN Commands \\\n# linebreak in comment \\\nRUN ["ls", "-la"]\nRUN ["echo", "\'1234\'"]\nRUN echo \'1234\' && \\\n    echo "456" && \\\n    echo 789\nRUN    sh -c \'echo root:testpass \\\n        > /tmp/passwd\'\n\n# ENV \\\nENV SCUBA 1 DUBA 3\nENV SCUBA "1 DUBA 3"\n\n#EXPOSE\\\nEXPOSE 9000 5000 6000\nUSER docker:root\nVOLUME ["/test", "/test2"]\nCOPY . copy\n',
    expect: [['from', 'busybox:buildroot-2014.02'], ['onbuild', ['run', 'echo', 'test']], ['onbuild', ['run', 'echo test']], ['onbuild', ['copy', '.', '/']],
      ['run', 'ls', '-la'], ['run', 'echo', "'1234'"], ['run', 'echo \'1234\' &&     echo "456" &&     echo 789'], ['run', "sh -c 'echo root:testpass         > /tmp/passwd'"],
      ['env', 'SCUBA', '1 DUBA 3', ''], ['env', 'SCUBA', '"1 DUBA 3"', ''], ['expose', '9000', '5000', '6000'], ['user', 'docker:root'], ['volume', '/test', '/test2'], ['copy', '.', 'copy']],
  },
  {
    name: 'trailing-backslash (an escaped backslash at the end of a line is not a continuation)',
    input: '# https://github.com/docker/for-win/issues/5254\n\nFROM hello-world\n\nENV A path\nENV B another\\\\path\nENV C trailing\\\\backslash\\\\\nENV D This should not be appended to C\nENV E hello\\\n\\\nworld\nENV F hello\\\n \\\nworld\nENV G hello \\\n\\\nworld\n',
    expect: [['from', 'hello-world'], ['env', 'A', 'path', ''], ['env', 'B', 'another\\\\path', ''], ['env', 'C', 'trailing\\\\backslash\\\\', ''],
      ['env', 'D', 'This should not be appended to C', ''], ['env', 'E', 'helloworld', ''], ['env', 'F', 'hello world', ''], ['env', 'G', 'hello world', '']],
  },
];

/** testfiles-negative, and the parser errors parser_test.go checks: BuildKit refuses these files. */
const NEGATIVE: readonly { readonly name: string; readonly input: string; readonly error: RegExp }[] = [
  { name: 'empty_dockerfile', input: '', error: /^file with no instructions$/ },
  { name: 'only_comments', input: '# Hello\n# These are just comments\n\n', error: /^file with no instructions$/ },
  { name: 'env_no_value', input: 'FROM busybox\n\nENV PATH\n', error: /^ENV must have two arguments$/ },
  { name: 'shykes-nested-json', input: 'CMD [ "echo", [ "nested json" ] ]\n', error: /^when using JSON array syntax, arrays must be comprised of strings only$/ },
  { name: 'a line longer than the scanner allows', input: `FROM image\nLABEL test=${'a'.repeat(65536)}\n`, error: /^dockerfile line greater than max allowed size of 65535$/ },
  { name: 'ENV key without =', input: 'FROM x\nENV a=1 b\n', error: /^Syntax error - can't find = in "b"\. Must be of the form: name=value$/ },
  { name: 'unterminated heredoc', input: 'FROM x\nRUN <<EOF\necho\n', error: /^unterminated heredoc$/ },
  { name: 'a second escape directive', input: '# escape=`\n# escape=\\\nFROM x\n', error: /^only one escape parser directive can be used$/ },
];

describe('BuildKit parser conformance (testfiles restated)', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: the same instructions and arguments`, () => assert.deepEqual(read(testCase.input), testCase.expect));
  }
  for (const testCase of NEGATIVE) {
    it(`${testCase.name}: the error BuildKit gives`, () => {
      const messages = parseDockerfile(testCase.input).errors.map((error) => error.message);
      assert.ok(messages.some((message) => testCase.error.test(message)), `expected ${String(testCase.error)}, got ${JSON.stringify(messages)}`);
    });
  }

  it('testfile-line: instruction line numbers as BuildKit counts them (comments and blank lines inside continuations included)', () => {
    const input = '# ESCAPE=\\\n\n\n\nFROM brimstone/ubuntu:14.04\n\n\n# TORUN -v /var/run/docker.sock:/var/run/docker.sock\n\n\nENV GOPATH \\\n/go\n\n\n\n# Install the packages we need, clean up after them and us\nRUN apt-get update \\\n\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.clean \\\n\n\n    && apt-get --no-install-recommends install -y git golang ca-certificates \\\n    && apt-get clean \\\n    && rm -rf /var/lib/apt/lists \\\n\n\t&& go get -v github.com/brimstone/consuldock \\\n    && mv $GOPATH/bin/consuldock /usr/local/bin/consuldock \\\n\n\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.dirty \\\n\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk \'/^>/ {print $2}\') \\\n\t&& rm /tmp/dpkg.* \\\n\t&& rm -rf $GOPATH\n\n\n\n\n';
    const lineOf = (offset: number): number => input.slice(0, offset).split('\n').length;
    const parsed = parseDockerfile(input);
    assert.deepEqual(parsed.instructions.map((i) => [lineOf(i.start), lineOf(i.consumedEnd - 1)]), [[5, 5], [11, 12], [17, 31]]);
  });
});

/** parser_heredoc_test.go: which lines start heredocs, and the names, contents, fd, chomp and expand BuildKit reads. */
describe('BuildKit heredoc conformance', () => {
  const docs = (text: string) => parseDockerfile(`FROM alpine:3.6\n${text}`).instructions.slice(1).map((i) => i.heredocs.map((h) => ({ name: h.name, content: h.content, fd: h.fileDescriptor, chomp: h.chomp, expand: h.expand })));

  it('reads TestParseExtractsHeredoc the same', () => {
    const input = [
      'ENV NAME=me', 'RUN ls', 'USER <<INVALID', 'INVALID', 'RUN <<EMPTY', 'EMPTY', 'RUN 3<<EMPTY2', 'EMPTY2', 'RUN "<<NOHEREDOC"',
      'RUN <<INDENT', '\tfoo', '\tbar', 'INDENT', 'RUN <<-UNINDENT', '\tbaz', '\tquux', 'UNINDENT', 'RUN <<-UNINDENT2', '\tbaz', '\tquux', '\tUNINDENT2',
      "RUN <<-'NOEXPAND'", "\tdon't expand $NAME", 'NOEXPAND', 'RUN --mount=type=cache,target=/foo <<MOUNT', 'echo hello', 'MOUNT',
      'COPY <<FILE1 <<FILE2 /dest', 'content 1', 'FILE1', 'content 2', 'FILE2', 'COPY <<X <<Y /dest', 'Y', 'X', 'X', 'Y',
      'RUN <<COMPLEX python3', "print('hello world')", 'COMPLEX', 'COPY <<file.txt /dest', 'hello world', 'file.txt',
      "RUN <<eo'f'", 'echo foo', 'eof', "RUN <<eo\\'f", 'echo foo', "eo'f", "RUN <<'e'o\\'f", 'echo foo', "eo'f", "RUN <<'one two'", 'echo bar', 'one two',
      'RUN <<$EOF', '$EOF', 'RUN <<  EOF', 'EOF', 'RUN <<  EOF  > foo', 'EOF', '',
    ].join('\n');
    const d = (name: string, content: string, extra: Partial<{ fd: number; chomp: boolean; expand: boolean }> = {}) => ({ name, content, fd: 0, chomp: false, expand: true, ...extra });
    assert.deepEqual(docs(input), [
      [], [], [], [], [d('EMPTY', '')], [d('EMPTY2', '', { fd: 3 })], [], [d('INDENT', '\tfoo\n\tbar\n')], [d('UNINDENT', '\tbaz\n\tquux\n', { chomp: true })],
      [d('UNINDENT2', '\tbaz\n\tquux\n', { chomp: true })], [d('NOEXPAND', "\tdon't expand $NAME\n", { chomp: true, expand: false })], [d('MOUNT', 'echo hello\n')],
      [d('FILE1', 'content 1\n'), d('FILE2', 'content 2\n')], [d('X', 'Y\n'), d('Y', 'X\n')], [d('COMPLEX', "print('hello world')\n")], [d('file.txt', 'hello world\n')],
      [d('eof', 'echo foo\n', { expand: false })], [d("eo'f", 'echo foo\n')], [d("eo'f", 'echo foo\n', { expand: false })], [d('one two', 'echo bar\n', { expand: false })],
      [d('$EOF', '')], [d('EOF', '')], [d('EOF', '')],
    ]);
  });

  it('finds no heredoc in JSON form or inside quotes (TestParseJSONHeredoc, TestHeredocsFromLine)', () => {
    assert.deepEqual(docs('RUN ["whoami"]\nRUN ["<<EOF"]\nRUN ["<<\'EOF\'"]\nRUN \'<<EOF\'\nRUN "<<EOF"\n'), [[], [], [], [], []]);
  });

  it('reads the marker forms of TestParseHeredocHelpers and TestHeredocsFromLine', () => {
    const names = (line: string): string[] => parseDockerfile(`FROM x\n${line}\nEOF\nEOF2\n`).instructions[1]!.heredocs.map((h) => h.name);
    for (const marker of ['<<EOF', "<<'EOF'", '<<"EOF"', '<<-EOF', "<<-'EOF'", '<<-"EOF"', '<<EO"F"', '<< EOF', '4<<EOF']) {
      assert.deepEqual(names(`RUN ${marker}`), ['EOF'], marker);
      assert.equal(parseHeredocMarker(marker)?.name, 'EOF', marker);
    }
    // ParseHeredoc accepts `<<- EOF`, but on a line BuildKit's lexer only joins blanks directly after `<<` to the word,
    // so the line's words are `<<-` and `EOF` and no heredoc starts (TestHeredocsFromLine lists it, but its loop
    // over the heredocs found checks nothing when there are none).
    assert.equal(parseHeredocMarker('<<- EOF')?.name, 'EOF');
    assert.deepEqual(names('RUN <<- EOF'), []);
    assert.deepEqual(names('RUN << -EOF\n-EOF'), ['-EOF']);
    assert.deepEqual(names('RUN <<EOF <<EOF2'), ['EOF', 'EOF2']);
    for (const notMarker of ['RUN <EOF', 'RUN <<<EOF', 'RUN echo <<', 'RUN <<-']) assert.deepEqual(names(notMarker), [], notMarker);
    // A marker with an unterminated quote is an error of ParseHeredoc; on a RUN line the lexer refuses the whole line
    // first, and BuildKit then reads no heredoc at all (the shell fails later).
    for (const invalid of ["<<'EOF", '<<"EOF', "<<EOF'", '<<EOF"']) {
      assert.throws(() => parseHeredocMarker(invalid), invalid);
      assert.deepEqual(names(`RUN ${invalid}`), [], invalid);
    }
  });
});
