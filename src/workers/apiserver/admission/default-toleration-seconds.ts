import type { Pod, Toleration } from 'kubernetes-types/core/v1';
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from '../registry/pod-defaults';
import { isPod, type AdmissionPlugin } from './admission';

/** kube-apiserver's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds), on pod create: appends
 * `node.kubernetes.io/not-ready:NoExecute op=Exists for 300s` and the same for `unreachable` unless the pod
 * already tolerates that taint with effect NoExecute (or any effect, or operator Exists with no key).
 */
export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  async admit(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const spec = ((a.obj as unknown as Pod).spec ??= { containers: [] });
    const tolerates = (key: string) =>
      (spec.tolerations ?? []).some((t: Toleration) => (t.effect === 'NoExecute' || !t.effect) && (t.key === key || (!t.key && t.operator === 'Exists')));
    const add: Toleration[] = [];
    for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
      if (!tolerates(key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
    if (add.length) spec.tolerations = [...(spec.tolerations ?? []), ...add];
  },
};
