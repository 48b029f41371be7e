import { mapSelectorMatcher } from '../../../client/labels';
import type { ControllerDescriptor } from '../controller-context';
import { ReplicationControllers } from '../../../api/resources';
import { replicaSetLikeController } from './replica-set-sync';

/**
 * replicationcontroller (event source "replication-controller"): v1 ReplicationControllers, whose spec.selector
 * is a plain label map (defaulted from the template's labels when absent). See replicaSetLikeController.
 */
export function replicationController(): ControllerDescriptor {
  return replicaSetLikeController({
    name: 'replicationcontroller-controller',
    component: 'replication-controller',
    ref: ReplicationControllers,
    apiVersion: 'v1',
    selector: (rc) => {
      const sel = (rc.spec?.selector as Record<string, string> | undefined) ?? rc.spec?.template?.metadata?.labels;
      return sel && Object.keys(sel).length ? mapSelectorMatcher(sel) : () => false;
    },
  });
}
