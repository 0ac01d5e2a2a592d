import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** test/fixtures: data the tests need, written into the repository with its source named (see the READMEs there). */
export const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');

/** The text of a file under test/fixtures. */
export function fixtureText(relative: string): string {
  return readFileSync(path.join(FIXTURES_DIR, relative), 'utf8');
}

/** The objects of a `kind: List` file under test/fixtures, as `oc get -o yaml` prints a list. */
export function fixtureItems(relative: string): unknown[] {
  const list = parse(fixtureText(relative)) as { kind?: string; items?: unknown[] };
  if (list.kind !== 'List' || !Array.isArray(list.items)) throw new Error(`${relative} is not a kind: List file`);
  return list.items;
}
