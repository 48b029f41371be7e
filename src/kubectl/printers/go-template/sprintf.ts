import { goFloat, goSprint } from '../go-fmt';

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %q %t %f %x %%, with width and '-' flag. */
export function goSprintf(format: string, args: unknown[]): string {
  let ai = 0;
  return format.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_all, flags: string, width?: string, prec?: string, verb?: string) => {
    if (verb === '%') return '%';
    if (ai >= args.length) return `%!${verb}(MISSING)`;
    const a = args[ai++];
    let s: string;
    switch (verb) {
      case 'd':
        s = typeof a === 'number' && Number.isInteger(a) ? String(a) : `%!d(${typeName(a)}=${goSprint(a)})`;
        break;
      case 'q':
        s = typeof a === 'string' ? JSON.stringify(a) : `%!q(${typeName(a)}=${goSprint(a)})`;
        break;
      case 'f':
        s = typeof a === 'number' ? a.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${typeName(a)}=${goSprint(a)})`;
        break;
      case 'x':
        s = typeof a === 'number' ? a.toString(16) : [...new TextEncoder().encode(String(a))].map((b) => b.toString(16).padStart(2, '0')).join('');
        break;
      case 't':
        s = typeof a === 'boolean' ? String(a) : `%!t(${typeName(a)}=${goSprint(a)})`;
        break;
      default:
        s = typeof a === 'number' ? goFloat(a) : goSprint(a);
        if (verb === 's' && prec !== undefined) s = s.slice(0, Number(prec));
    }
    const w = width ? Number(width) : 0;
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return s;
  }) + (ai < args.length ? `%!(EXTRA ${args.slice(ai).map((a) => `${typeName(a)}=${goSprint(a)}`).join(', ')})` : '');
}

function typeName(a: unknown): string {
  if (a === null || a === undefined) return '<nil>';
  if (Array.isArray(a)) return '[]interface {}';
  if (typeof a === 'object') return 'map[string]interface {}';
  if (typeof a === 'number') return Number.isInteger(a) ? 'int64' : 'float64';
  if (typeof a === 'boolean') return 'bool';
  return 'string';
}
