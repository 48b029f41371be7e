import type { CommandContext } from '../cli/command-context';
import { groupVersion } from '../../api/resources';
import { alignTable } from '../printers/table-printer';

/** kubectl api-resources: preferred versions, sorted by group then name; -o wide adds VERBS and CATEGORIES; -o name. */
export async function runApiResources(ctx: CommandContext): Promise<void> {
  const mapper = await ctx.mapper();
  let rs = mapper.resources.filter((r) => r.preferred);
  if (ctx.flags.set.has('namespaced')) rs = rs.filter((r) => r.namespaced === ctx.bool('namespaced'));
  if (ctx.flags.set.has('api-group')) rs = rs.filter((r) => r.group === ctx.str('api-group'));
  const verbs = ctx.list('verbs');
  if (verbs.length) rs = rs.filter((r) => verbs.every((v) => r.verbs.includes(v)));
  rs = [...rs].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  const output = ctx.str('output');
  if (output === 'name') {
    ctx.out(rs.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource) + '\n').join(''));
    return;
  }
  const wide = output === 'wide';
  let text = '';
  if (!ctx.bool('no-headers')) text += 'NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND' + (wide ? '\tVERBS\tCATEGORIES' : '') + '\n';
  for (const r of rs) {
    text += [r.resource, r.shortNames.join(','), groupVersion(r), String(r.namespaced), r.kind].join('\t');
    if (wide) text += `\t[${r.verbs.join(' ')}]\t${r.categories.join(',')}`;
    text += '\n';
  }
  ctx.out(alignTable(text));
}
