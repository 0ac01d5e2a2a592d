// Mocha reporter for npm run test:e2e: the spec output, then a summary per top-level suite, the failures with where
// to look, test-results/e2e-summary.json, and a closing "N passed, N failed, N skipped" line.
import Mocha from 'mocha';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resultsRoot, screenshotsRoot, sessionsRoot } from './config';

interface Entry {
  titlePath: string[];
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

class E2EReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const entries: Entry[] = [];
    const add = (test: Mocha.Runnable, state: Entry['state'], error?: Error) => {
      entries.push({
        titlePath: test.titlePath(),
        state,
        ...(test.duration !== undefined ? { durationMs: test.duration } : {}),
        ...(error ? { error: String(error.message ?? error).split('\n')[0] } : {}),
      });
    };
    runner.on(EVENT_TEST_PASS, (test) => add(test, 'passed'));
    runner.on(EVENT_TEST_FAIL, (test, error) => add(test, 'failed', error));
    runner.on(EVENT_TEST_PENDING, (test) => add(test, 'pending'));
    runner.once(EVENT_RUN_END, () => {
      mkdirSync(resultsRoot, { recursive: true });
      const summaryFile = path.join(resultsRoot, 'e2e-summary.json');
      writeFileSync(summaryFile, `${JSON.stringify({ finishedAt: new Date().toISOString(), tests: entries }, null, 2)}\n`);

      const groups = new Map<string, Entry[]>();
      for (const entry of entries) {
        const group = entry.titlePath[0] ?? '(root)';
        groups.set(group, [...(groups.get(group) ?? []), entry]);
      }
      const count = (list: Entry[], state: Entry['state']) => list.filter((entry) => entry.state === state).length;
      const lines = ['', '── e2e summary ' + '─'.repeat(60)];
      const width = Math.min(60, Math.max(...[...groups.keys()].map((key) => key.length), 10));
      for (const [group, list] of groups) {
        lines.push(`  ${group.padEnd(width)}  ${count(list, 'passed')} passed, ${count(list, 'failed')} failed, ${count(list, 'pending')} skipped`);
      }
      const failed = entries.filter((entry) => entry.state === 'failed');
      if (failed.length) {
        lines.push('', '  Failures:');
        for (const entry of failed) lines.push(`    ✗ ${entry.titlePath.join(' › ')}`, `      ${entry.error ?? ''}`);
        lines.push(`  Screenshots: ${path.relative(process.cwd(), screenshotsRoot)}/  Logs: ${path.relative(process.cwd(), sessionsRoot)}/<session>/logs/ and user-data/logs/`);
      }
      lines.push(`  Details: ${path.relative(process.cwd(), summaryFile)}`, '');
      lines.push(`${count(entries, 'passed')} passed, ${count(entries, 'failed')} failed, ${count(entries, 'pending')} skipped`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  }
}

export = E2EReporter;
