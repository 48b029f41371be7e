import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import { IngressClasses } from '../../../api/resources';
import { listStored, type AdmissionPlugin } from './admission';

const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass), on Ingress create: an Ingress with no
 * spec.ingressClassName and no kubernetes.io/ingress.class annotation gets the default IngressClass's name (the
 * newest when several are annotated default; ties: the lexically first name). No default class: left as is.
 */
export const defaultIngressClassPlugin: AdmissionPlugin = {
  name: 'DefaultIngressClass',
  async admit(a) {
    if (a.operation !== 'CREATE' || a.subresource || a.ref.group !== 'networking.k8s.io' || a.ref.resource !== 'ingresses') return;
    const ing = a.obj as unknown as Ingress;
    if (ing.spec?.ingressClassName != null || ing.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION] !== undefined) return;
    const defaults = (await listStored<IngressClass>(a.ctx, IngressClasses)).filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true');
    defaults.sort((x, y) => (y.metadata?.creationTimestamp ?? '').localeCompare(x.metadata?.creationTimestamp ?? '') || (x.metadata?.name ?? '').localeCompare(y.metadata?.name ?? ''));
    if (defaults[0]) (ing.spec ??= {}).ingressClassName = defaults[0].metadata!.name!;
  },
};
