import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { parseManifests } from '../manifests/parse-manifests';
import { toGoYaml } from '../printers/go-yaml';
import { kindPrefix } from '../resource-mapper';
import { visitObjects, type KubeObj, type Target } from './visit-objects';

export const editFlags: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringSlice' }, { name: 'recursive', short: 'R', type: 'bool' }, { name: 'kustomize', short: 'k', type: 'string' },
  { name: 'output', short: 'o', type: 'string' }, { name: 'template', type: 'string' }, { name: 'validate', type: 'string' }, { name: 'windows-line-endings', type: 'bool' },
  { name: 'save-config', type: 'bool' }, { name: 'field-manager', type: 'string' }, { name: 'output-patch', type: 'bool' }, { name: 'subresource', type: 'string' },
  { name: 'show-managed-fields', type: 'bool' }, { name: 'selector', short: 'l', type: 'string' }, { name: 'all', type: 'bool' },
];

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

interface Reason {
  head: string;
  other: string[];
}

const stripComments = (text: string) => text.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n').trim();

function header(reasons: Reason[]): string {
  let h = HEADER;
  for (const r of reasons) {
    h += `# ${r.head.replaceAll('\n', '\n# ')}${r.other.length ? ':' : ''}\n`;
    for (const o of r.other) h += `# * ${o.replaceAll('\n', '\n# ')}\n`;
    h += '#\n';
  }
  return h;
}

/** JSON merge patch (RFC 7386) turning a into b. */
export function createMergePatch(a: unknown, b: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return b;
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(b)) {
    if (!(k in a)) patch[k] = b[k];
    else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) patch[k] = isObj(a[k]) && isObj(b[k]) ? createMergePatch(a[k], b[k]) : b[k];
  }
  for (const k of Object.keys(a)) if (!(k in b)) patch[k] = null;
  return patch;
}

function withoutManagedFields(obj: KubeObj): KubeObj {
  const meta = { ...(obj.metadata ?? {}) } as Record<string, unknown>;
  delete meta.managedFields;
  return { ...obj, metadata: meta };
}

/**
 * kubectl edit: opens the objects as YAML (one object, or a v1 List) in io.edit with kubectl's header,
 * then patches each changed object (merge patch; apiVersion, kind and name must not change) and prints
 * "kind/name edited" or "skipped". Invalid objects and YAML errors reopen the editor with the reasons in
 * the header; an unchanged or closed editor cancels ("Edit cancelled, no changes made.").
 */
export async function runEdit(ctx: CommandContext): Promise<void> {
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  if (errors.length) throw errors[0];
  if (!targets.length) throw new RawError('error: edit cancelled, no objects found');
  const edit = ctx.io.edit;
  if (!edit) throw new RawError('error: unable to launch the editor "vi"');
  const objs = targets.map((t) => withoutManagedFields(t.obj));
  const originalText = toGoYaml(objs.length === 1 ? objs[0] : { apiVersion: 'v1', items: objs, kind: 'List', metadata: {} });
  let reasons: Reason[] = [];
  let edited = '';
  let containsError = false;
  for (;;) {
    const buffer = header(reasons) + (containsError ? stripComments(edited) + '\n' : originalText);
    const previous = edited;
    const saved = await edit(buffer);
    if (saved === undefined || (containsError && stripComments(previous) === stripComments(saved))) {
      if (containsError) throw new RawError('error: Edit cancelled, no valid changes were saved.');
      ctx.err('Edit cancelled, no changes made.\n');
      return;
    }
    edited = saved;
    if (stripComments(edited) === stripComments(originalText)) {
      ctx.err('Edit cancelled, no changes made.\n');
      return;
    }
    if (!stripComments(edited)) {
      ctx.err('Edit cancelled, saved file was empty.\n');
      return;
    }
    const parsed = parseManifests(edited, 'edited file');
    if (!parsed.ok) {
      containsError = true;
      reasons = [{ head: `The edited file had a syntax error: ${parsed.error.message.replace(/^error parsing edited file: /, '')}`, other: [] }];
      continue;
    }
    reasons = [];
    containsError = false;
    for (const obj of parsed.objects as KubeObj[]) {
      const uid = (obj.metadata as { uid?: string } | undefined)?.uid;
      const idx = targets.findIndex((t) => (t.obj.metadata as { uid?: string } | undefined)?.uid === uid);
      if (idx < 0) throw new RawError(`error: no original object found for ${JSON.stringify(obj)}`);
      const t = targets[idx];
      if (JSON.stringify(objs[idx]) === JSON.stringify(obj)) {
        ctx.out(`${prefix(t)} skipped\n`);
        continue;
      }
      const patch = createMergePatch(objs[idx], obj) as Record<string, unknown>;
      if ('apiVersion' in patch || 'kind' in patch || (patch.metadata as Record<string, unknown> | undefined)?.name !== undefined) {
        throw new RawError('error: At least one of apiVersion, kind and name was changed');
      }
      try {
        await ctx.io.client.call({ method: 'PATCH', path: resourcePath(t.info!, t.namespace, t.name), body: patch, contentType: 'application/merge-patch+json', query: { fieldManager: ctx.str('field-manager') || 'kubectl-edit' } });
        ctx.out(`${prefix(t)} edited\n`);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status.reason !== 'Invalid') throw err;
        const res = t.info!.group ? `${t.info!.resource}.${t.info!.group}` : t.info!.resource;
        ctx.err(`error: ${res} "${t.name}" is invalid\n`);
        reasons.push({ head: `${res} "${t.name}" was not valid`, other: (err.status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`) });
        containsError = true;
      }
    }
    if (!containsError) return;
  }
}

const prefix = (t: Target) => `${kindPrefix({ kind: t.kind, group: t.group })}/${t.name}`;
