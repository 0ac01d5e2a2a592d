import { validate } from 'dockerfile-utils';
import { Linter } from '../../src/core/lint';
import { largeContainerfile, typicalContainerfile } from './corpus';
import { median, report, timeInterleaved } from './measure';

/**
 * Our full lint against dockerfile-utils' validate() (what Container Tools runs) on the same text, interleaved in one
 * process. Each lint builds a fresh model (no caches between runs); the tree-sitter parser is loaded once beforehand,
 * as in the editor after the first complex file.
 */
async function main(): Promise<void> {
  const linter = new Linter();
  const small = typicalContainerfile();
  const large = largeContainerfile(5000);
  await linter.lint(large);
  const options = { force: true } as const;

  const smallTimes = await timeInterleaved({ ours: () => linter.lint(small, options), dockerfileUtils: () => validate(small) }, 400);
  report('lint.30-line.median', median(smallTimes.ours), 'ms'); // goal < 1
  report('dockerfile-utils.30-line.median', median(smallTimes.dockerfileUtils), 'ms');
  report('lint.30-line.ratio-vs-dockerfile-utils', median(smallTimes.ours) / median(smallTimes.dockerfileUtils), 'x');

  const largeTimes = await timeInterleaved({ ours: () => linter.lint(large, options), dockerfileUtils: () => validate(large) }, 15);
  report('lint.5000-line.median', median(largeTimes.ours), 'ms');
  report('dockerfile-utils.5000-line.median', median(largeTimes.dockerfileUtils), 'ms');
  report('lint.5000-line.ratio-vs-dockerfile-utils', median(largeTimes.ours) / median(largeTimes.dockerfileUtils), 'x'); // goal <= 0.35

  const perLine: number[] = [];
  for (const lines of [1000, 2500, 5000]) {
    const text = largeContainerfile(lines);
    const times = await timeInterleaved({ ours: () => linter.lint(text, options) }, 9);
    perLine.push(median(times.ours) / text.split('\n').length);
  }
  report('lint.cost-per-line.5000-vs-1000', perLine[2]! / perLine[0]!, 'x');
}

void main();
