import type { Pod } from 'kubernetes-types/core/v1';
import { expandDiagnosis, type AttemptRecord, type Diagnosis } from './schedule-pod';

/**
 * "Explain a decision" (kube-scheduler-simulator's view, built in): the last attempt for a pod, with each
 * evaluated node's filter results in plugin order and, for feasible nodes, each score plugin's raw,
 * normalized and weighted scores. Structured-clone safe (crosses Comlink as is).
 */
export interface SchedulingExplanation {
  namespace: string;
  name: string;
  uid?: string;
  /** Cluster time of the attempt (ms). */
  attemptedAt: number;
  outcome: 'Scheduled' | 'Unschedulable';
  /** The chosen node (Scheduled). */
  node?: string;
  /** The FailedScheduling message (Unschedulable). */
  message?: string;
  /** Nominated node and victims (namespace/name) when preemption found a candidate. */
  preemption?: { node: string; victims: string[] };
  diagnosis: Diagnosis;
}

/**
 * The last attempt per pod key, kept compact (AttemptRecord) and expanded on get(); bounded (oldest
 * forgotten first) so a long-running scheduler stays small.
 */
export class ExplainStore {
  private readonly byKey = new Map<string, Omit<SchedulingExplanation, 'diagnosis'> & { record: AttemptRecord }>();

  constructor(private readonly max = 2000) {}

  record(key: string, pod: Pod, at: number, record: AttemptRecord, message?: string, preemption?: SchedulingExplanation['preemption']): void {
    this.byKey.delete(key);
    this.byKey.set(key, {
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      uid: pod.metadata?.uid,
      attemptedAt: at,
      outcome: message === undefined ? 'Scheduled' : 'Unschedulable',
      node: message === undefined ? record.selected : undefined,
      message,
      preemption,
      record,
    });
    if (this.byKey.size > this.max) this.byKey.delete(this.byKey.keys().next().value!);
  }

  get(key: string): SchedulingExplanation | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    const { record, ...rest } = e;
    return { ...rest, diagnosis: expandDiagnosis(record) };
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
