import type { CommandContext } from './command-context';

/**
 * The fieldValidation query value for --validate (kubectl's GetValidationDirective): true/strict (the
 * default) → Strict, warn → Warn (unknown and duplicate fields come back as Warning headers), false/ignore →
 * Ignore. Throws kubectl's error for any other value.
 */
export function fieldValidation(ctx: CommandContext): 'Strict' | 'Warn' | 'Ignore' {
  const v = ctx.str('validate', 'strict');
  const lower = v.toLowerCase();
  if (['1', 't', 'true'].includes(lower)) return 'Strict';
  if (['0', 'f', 'false'].includes(lower)) return 'Ignore';
  if (lower === 'strict') return 'Strict';
  if (lower === 'warn') return 'Warn';
  if (lower === 'ignore') return 'Ignore';
  throw new Error(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}
