import type { YamlRule } from './types';

/** A document that does not parse is reported once, here; the other rules skip it. */
export const mcYamlSyntax: YamlRule = {
  id: 'mc-yaml-syntax',
  defaultSeverity: 'error',
  summary: 'The YAML of a MachineConfig or MachineOSConfig does not parse.',
  check(context) {
    return context.parsed.errors.map((error) => ({ range: error.range, message: `YAML error: ${error.message}` }));
  },
};
