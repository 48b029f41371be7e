import type { Event } from 'kubernetes-types/core/v1';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';

const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];
const SKIP = ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations'];

function charClass(c: string): number {
  if (/\p{Ll}/u.test(c)) return 1;
  if (/\p{Lu}/u.test(c)) return 2;
  if (/\p{Nd}/u.test(c)) return 3;
  return 4;
}

/** fatih/camelcase Split: runs of one character class; an upper run followed by lowers gives its last letter to them. */
export function camelSplit(s: string): string[] {
  const runs: string[] = [];
  let last = 0;
  for (const c of s) {
    const k = charClass(c);
    if (k === last && runs.length) runs[runs.length - 1] += c;
    else runs.push(c);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (runs[i] && charClass(runs[i][0]) === 2 && charClass(runs[i + 1][0]) === 1) {
      runs[i + 1] = runs[i].slice(-1) + runs[i + 1];
      runs[i] = runs[i].slice(0, -1);
    }
  }
  return runs.filter((r) => r.length);
}

/** kubectl's smartLabelFor: "holderIdentity" → "Holder Identity", "apiVersion" → "API Version"; other characters keep the field as is. */
export function smartLabelFor(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p[0].toUpperCase() + p.slice(1)))
    .join(' ');
}

/** Go's %v of a decoded JSON scalar. */
const goValue = (v: unknown) => (v === null ? '<nil>' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function printContent(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIP.includes(path)) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) printContent(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else if (value && typeof value === 'object') {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printContent(w, level + 1, value as Record<string, unknown>, path);
    } else w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
  }
}

/** kubectl's generic describer (kinds without their own, e.g. leases and custom resources): every field, nested. */
export function describeGeneric(obj: Record<string, unknown>, events: Event[] | undefined, now: number): string {
  const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  const w = new PrefixWriter();
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  printContent(w, 0, obj, '');
  if (events) describeEvents(events, w, now);
  return w.toString();
}
