/**
 * src/workers/scheduler: kube-scheduler. startScheduler({ client, clock, ids }) watches pods, nodes and
 * PriorityClasses (and PVCs, PVs, StorageClasses for VolumeBinding) through shared informers into an incremental NodeInfoCache, runs the framework profile
 * (plugins/: kube 1.32's default filters and weighted scores), preempts lower-priority pods (preemption.ts),
 * binds asynchronously via pods/NAME/binding, and keeps the last attempt per pod for explain(ns, name). Queueing hints
 * (queueing-hints.ts, FilterPlugin.events): an unschedulable pod is requeued only by cluster events its rejecting plugins registered.
 * Performance: scheduler-bench.test.ts is a by-hand throughput harness (SCHED_BENCH=500,5000; skipped otherwise). The
 * per-node loop reads memos (NodeInfo.facts, NodeInfo.resources' numeric cpu/memory), not the Node object.
 * main.ts is the Worker entry ({ start({ apiPort, speed, epoch }), stop(), explain(ns, name), stats() } over Comlink).
 */
export * from './scheduler';
export * from './framework';
export * from './schedule-pod';
export * from './binding-cycle';
export * from './scheduling-queue';
export * from './queueing-hints';
export * from './node-info-cache';
export * from './preemption';
export * from './explain';
export * from './pooled-ids';
export * from './plugins';
