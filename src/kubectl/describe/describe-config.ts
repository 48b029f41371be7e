import type { ConfigMap, Event, LimitRange, Namespace, ResourceQuota, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';
import { rfc1123z } from './describe-pod';
import { writeNamespaceLimitRanges, writeNamespaceQuotas } from './describe-policy';

const byteLength = (base64: string) => Math.floor((base64.replace(/=+$/, '').length * 3) / 4);

/** kubectl describe configmap: data values verbatim, binary data as sizes, events. */
export function describeConfigMap(cm: ConfigMap, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${cm.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', cm.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', cm.metadata?.annotations);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) w.write(0, `${k}:\n----\n${cm.data![k]}\n\n`);
  w.write(0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${byteLength(cm.binaryData![k])} bytes\n`);
  w.write(0, '\n');
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** kubectl describe secret: type and data sizes (service-account tokens shown). */
export function describeSecret(s: Secret): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${s.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${s.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', s.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', s.metadata?.annotations);
  w.write(0, `\nType:\t${s.type ?? ''}\n`);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(s.data ?? {}).sort()) {
    const v = s.data![k];
    if (k === 'token' && s.type === 'kubernetes.io/service-account-token') w.write(0, `${k}:\t${new TextDecoder().decode(Uint8Array.from(atobLike(v)))}\n`);
    else w.write(0, `${k}:\t${byteLength(v)} bytes\n`);
  }
  return w.toString();
}

function atobLike(b64: string): number[] {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const c of b64.replace(/=+$/, '')) {
    buf = (buf << 6) | abc.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
    }
  }
  return out;
}

/** kubectl describe namespace; quotas/limitRanges undefined when the server does not serve them. */
export function describeNamespace(ns: Namespace, quotas: ResourceQuota[] | undefined, limitRanges: LimitRange[] | undefined): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata?.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', ns.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conds = ns.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conds) w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  if (quotas) {
    w.write(0, '\n');
    writeNamespaceQuotas(w, quotas);
  }
  if (limitRanges) {
    w.write(0, '\n');
    writeNamespaceLimitRanges(w, limitRanges);
  }
  return w.toString();
}

function printNames(w: PrefixWriter, title: string, names: string[]): void {
  w.write(0, `${title}:\t`);
  if (!names.length) return w.writeLine('<none>');
  names.forEach((n, i) => w.write(0, `${i ? '\t' : ''}${n}\n`));
}

/** kubectl describe serviceaccount (tokens: secrets of type service-account-token naming it). */
export function describeServiceAccount(sa: ServiceAccount, tokens: string[], events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${sa.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${sa.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', sa.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', sa.metadata?.annotations);
  printNames(w, 'Image pull secrets', (sa.imagePullSecrets ?? []).map((s) => s.name ?? ''));
  printNames(w, 'Mountable secrets', (sa.secrets ?? []).map((s) => s.name ?? ''));
  printNames(w, 'Tokens', tokens);
  if (events) describeEvents(events, w, now);
  return w.toString();
}
