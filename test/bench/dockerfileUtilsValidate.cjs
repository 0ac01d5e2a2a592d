// The peer process of the per-process benchmark: what a CI job or pre-commit hook runs for dockerfile-utils, the
// validator behind Container Tools: load it, read the file, validate() it, print the number of problems.
const { readFileSync } = require('node:fs');
const { validate } = require('dockerfile-utils');

const problems = validate(readFileSync(process.argv[2], 'utf8'));
process.stdout.write(`${problems.length} problems\n`);
