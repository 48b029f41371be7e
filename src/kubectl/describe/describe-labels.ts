import type { Toleration } from 'kubernetes-types/core/v1';
import type { PrefixWriter } from './prefix-writer';

const MAX_ANNOTATION_LEN = 140;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** printLabelsMultiline: "Title:\tk=v" then "\tk2=v2" lines, sorted; "<none>" when empty. */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.writeLine('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${k}=${(labels as Record<string, string>)[k]}\n`);
  });
}

/** printAnnotationsMultiline: skips last-applied; long or multi-line values go on indented lines, cut at 138 chars + "...". */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const a = annotations ?? {};
  const keys = Object.keys(a).filter((k) => k !== LAST_APPLIED).sort();
  if (keys.length === 0) return w.writeLine('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = a[k].endsWith('\n') ? a[k].slice(0, -1) : a[k];
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? s.slice(0, MAX_ANNOTATION_LEN - 2) + '...' : s}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

/** printPodTolerationsMultiline, sorted by key. */
export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  const ts = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (ts.length === 0) return w.writeLine('<none>');
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, s + '\n');
  });
}
