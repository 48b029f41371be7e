import { RawError } from '../cli/errors';
import { kindPrefix } from '../resource-mapper';
import { toGoJson } from './go-json';
import { toGoYaml } from './go-yaml';

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** Rejects -o values kubectl does not know, with its text; values we know but do not implement say so. */
export function checkOutputFormat(output: string): void {
  if (['', 'wide', 'yaml', 'json', 'name'].includes(output)) return;
  const base = output.split('=')[0];
  if (ALLOWED.split(',').includes(base)) throw new RawError(`error: output format "${base}" is not supported yet by this kubectl`);
  throw new RawError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED}`);
}

/**
 * kubectl's generic printing: one object as itself when a single item was implied, otherwise a v1 List
 * (metadata.resourceVersion ""). -o name prints kind[.group]/name per object.
 */
export function printObjects(objs: Record<string, unknown>[], output: string, single: boolean): string {
  if (output === 'name') return objs.map((o) => nameOf(o) + '\n').join('');
  const value = single ? objs[0] : { apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } };
  return output === 'json' ? toGoJson(value) : toGoYaml(value);
}

export function nameOf(o: Record<string, unknown>): string {
  const apiVersion = String(o.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const name = (o.metadata as { name?: string } | undefined)?.name ?? '';
  return `${kindPrefix({ kind: String(o.kind ?? ''), group })}/${name}`;
}
