import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { labelSelectorMatcher } from '../../../client/labels';
import type { ControllerDescriptor } from '../controller-context';
import { ReplicaSets } from '../../../api/resources';
import { replicaSetLikeController } from './replica-set-sync';

/** replicaset-controller: apps/v1 ReplicaSets (spec.selector is a metav1.LabelSelector). See replicaSetLikeController. */
export function replicaSetController(): ControllerDescriptor {
  return replicaSetLikeController({
    name: 'replicaset-controller',
    component: 'replicaset-controller',
    ref: ReplicaSets,
    apiVersion: 'apps/v1',
    selector: (rs) => labelSelectorMatcher(rs.spec?.selector as LabelSelector | undefined),
  });
}
