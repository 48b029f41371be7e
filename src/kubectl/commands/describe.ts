import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import { listError } from './visit-objects';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1';
import type { ConfigMap, Event, LimitRange, Namespace, Node, Pod, ResourceQuota, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { Events, resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { describePod } from '../describe/describe-pod';
import { describeConfigMap, describeNamespace, describeSecret, describeServiceAccount } from '../describe/describe-config';
import { describeService } from '../describe/describe-service';
import { describeCronJob, describeJob } from '../describe/describe-batch';
import { describeNode, type NodeLease } from '../describe/describe-node';
import { podPhaseCounts, selectorString } from '../describe/describe-pod-template';
import { describeDaemonSet, describeDeployment, describeReplicaSet, describeStatefulSet } from '../describe/describe-workloads';
import { byCreation, equalIgnoreHash } from '../../workers/controller-manager/deployment-util';
import type { ApiResourceInfo } from '../resource-mapper';
import { resolveResourceArgs } from './resource-args';
import { MORE_DESCRIBERS } from './describe-more';
import { describeGeneric } from '../describe/describe-generic';

/** Kinds without a describer of their own (leases, custom resources…): kubectl's generic describer. */
const GENERIC = { events: true, describe: async (ctx: CommandContext, o: KubeObj, ev: Event[] | undefined) => describeGeneric(o, ev, ctx.io.clock.now()) };

/** List items carry no apiVersion/kind; kubectl describes each object as fetched by name, which has them. */
function withTypeMeta(obj: KubeObj, info: ApiResourceInfo): KubeObj {
  return obj.apiVersion ? obj : { apiVersion: info.group ? `${info.group}/${info.version}` : info.version, kind: info.kind, ...obj };
}
import type { KubeObj } from './visit-objects';

type Describer = (ctx: CommandContext, obj: KubeObj, events: Event[] | undefined) => Promise<string>;

async function listOrUndefined<T>(ctx: CommandContext, path: string, query?: Record<string, string>): Promise<T[] | undefined> {
  try {
    return (await ctx.io.client.call<{ items: T[] }>({ method: 'GET', path, query })).items;
  } catch (err) {
    if (err instanceof ApiError) return undefined;
    throw err;
  }
}

/** getPodStatusForController: phase counts of the namespace's pods matching the selector and controlled by obj. */
async function controllerPodCounts(ctx: CommandContext, obj: KubeObj) {
  const o = obj as { metadata?: ObjectMeta; spec?: { selector?: LabelSelector } };
  const pods = (await listOrUndefined<Pod>(ctx, `/api/v1/namespaces/${o.metadata?.namespace}/pods`, { labelSelector: selectorString(o.spec?.selector) })) ?? [];
  return podPhaseCounts(pods, o.metadata?.uid);
}

/** deploymentutil.GetAllReplicaSets: the deployment's controlled replica sets; the new one is the oldest whose template matches. */
async function deploymentReplicaSets(ctx: CommandContext, d: Deployment): Promise<{ oldRSs: ReplicaSet[]; newRS: ReplicaSet | undefined }> {
  const all = (await listOrUndefined<ReplicaSet>(ctx, `/apis/apps/v1/namespaces/${d.metadata?.namespace}/replicasets`, { labelSelector: selectorString(d.spec?.selector) })) ?? [];
  const owned = all.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid));
  const newRS = [...owned].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRS };
}

async function nodeLease(ctx: CommandContext, name: string): Promise<NodeLease> {
  try {
    return { lease: await ctx.io.client.call<Lease>({ method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}` }) };
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message };
    throw err;
  }
}

/** Describers by group/resource; `events` is false for kinds kubectl describes without events. */
const DESCRIBERS: Record<string, { describe: Describer; events: boolean }> = {
  '/pods': { events: true, describe: async (ctx, o, ev) => describePod(o as Pod, ev, ctx.io.clock.now()) },
  '/configmaps': { events: true, describe: async (ctx, o, ev) => describeConfigMap(o as ConfigMap, ev, ctx.io.clock.now()) },
  '/secrets': { events: false, describe: async (_ctx, o) => describeSecret(o as Secret) },
  '/namespaces': {
    events: false,
    describe: async (ctx, o) => {
      const name = o.metadata?.name ?? '';
      const quotas = await listOrUndefined<ResourceQuota>(ctx, `/api/v1/namespaces/${name}/resourcequotas`);
      const limits = await listOrUndefined<LimitRange>(ctx, `/api/v1/namespaces/${name}/limitranges`);
      return describeNamespace(o as Namespace, quotas, limits);
    },
  },
  '/serviceaccounts': {
    events: true,
    describe: async (ctx, o, ev) => {
      const secrets = (await listOrUndefined<Secret>(ctx, `/api/v1/namespaces/${o.metadata?.namespace}/secrets`)) ?? [];
      const tokens = secrets
        .filter((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata?.annotations?.['kubernetes.io/service-account.name'] === o.metadata?.name)
        .map((s) => s.metadata?.name ?? '');
      return describeServiceAccount(o as ServiceAccount, tokens, ev, ctx.io.clock.now());
    },
  },
  '/services': {
    events: true,
    describe: async (ctx, o, ev) => {
      const slices = await listOrUndefined<EndpointSlice>(ctx, `/apis/discovery.k8s.io/v1/namespaces/${o.metadata?.namespace}/endpointslices`, {
        labelSelector: `kubernetes.io/service-name=${o.metadata?.name}`,
      });
      return describeService(o as Service, slices, ev, ctx.io.clock.now());
    },
  },
  '/nodes': {
    events: true,
    describe: async (ctx, o, ev) => {
      const name = o.metadata?.name ?? '';
      const pods = await listOrUndefined<Pod>(ctx, '/api/v1/pods', { fieldSelector: `spec.nodeName=${name},status.phase!=Failed,status.phase!=Succeeded` });
      let events = ev;
      if (ev) {
        const byName = `involvedObject.name=${name},involvedObject.namespace=,involvedObject.uid=${name}`;
        events = [...ev, ...((await listOrUndefined<Event>(ctx, resourcePath(Events, undefined), { fieldSelector: byName })) ?? [])];
      }
      return describeNode(o as Node, pods, await nodeLease(ctx, name), events, ctx.io.clock.now());
    },
  },
  'apps/deployments': {
    events: true,
    describe: async (ctx, o, ev) => {
      const { oldRSs, newRS } = await deploymentReplicaSets(ctx, o as Deployment);
      return describeDeployment(o as Deployment, oldRSs, newRS, ev, ctx.io.clock.now());
    },
  },
  'apps/replicasets': { events: true, describe: async (ctx, o, ev) => describeReplicaSet(o as ReplicaSet, await controllerPodCounts(ctx, o), ev, ctx.io.clock.now()) },
  'apps/statefulsets': { events: true, describe: async (ctx, o, ev) => describeStatefulSet(o as StatefulSet, await controllerPodCounts(ctx, o), ev, ctx.io.clock.now()) },
  'apps/daemonsets': { events: true, describe: async (ctx, o, ev) => describeDaemonSet(o as DaemonSet, await controllerPodCounts(ctx, o), ev, ctx.io.clock.now()) },
  'batch/jobs': { events: true, describe: async (ctx, o, ev) => describeJob(o as Job, ev, ctx.io.clock.now()) },
  'batch/cronjobs': { events: true, describe: async (ctx, o, ev) => describeCronJob(o as CronJob, ev, ctx.io.clock.now()) },
  ...MORE_DESCRIBERS,
};

/**
 * kubectl describe TYPE NAME… / TYPE/NAME / TYPE (all in the namespace, -l): pods, configmaps,
 * secrets, namespaces, serviceaccounts, services, nodes, deployments, replicasets, statefulsets,
 * daemonsets, jobs and cronjobs. Several objects are separated by a blank line.
 * Events are listed with the field selector involvedObject.name=…,involvedObject.namespace=…,involvedObject.uid=….
 */
export async function runDescribe(ctx: CommandContext): Promise<void> {
  if (ctx.args.length === 0 && ctx.list('filename').length === 0) {
    throw new RawError('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
  }
  const { requests } = await resolveResourceArgs(ctx, ctx.args);
  const showEvents = !ctx.flags.set.has('show-events') || ctx.bool('show-events');
  const errors: unknown[] = [];
  let first = true;
  let described = 0;
  for (const req of requests) {
    const d = DESCRIBERS[`${req.info.group}/${req.info.resource}`] ?? GENERIC;
    const ns = req.info.namespaced ? (req.namespace ?? ctx.namespace) : undefined;
    let objs: KubeObj[];
    if (req.names.length) {
      objs = [];
      for (const name of req.names) {
        try {
          objs.push(await ctx.io.client.call<KubeObj>({ method: 'GET', path: resourcePath(req.info, ns, name) }));
        } catch (err) {
          errors.push(err);
        }
      }
    } else {
      const query: Record<string, string> = {};
      if (ctx.str('selector')) query.labelSelector = ctx.str('selector');
      const list = ctx.io.client.call<{ items: KubeObj[] }>({ method: 'GET', path: resourcePath(req.info, ctx.bool('all-namespaces') ? undefined : ns), query });
      objs = (
        await list.catch((err: unknown) => {
          throw listError(err, req.info, query);
        })
      ).items;
    }
    described += objs.length;
    for (const obj of objs) {
      const events = showEvents && d.events ? await eventsFor(ctx, req.info, obj) : undefined;
      ctx.out((first ? '' : '\n\n') + (await d.describe(ctx, withTypeMeta(obj, req.info), events)));
      first = false;
    }
  }
  // Once for the whole command line, naming the namespace even for cluster-scoped types (as kubectl does).
  if (described === 0 && errors.length === 0) ctx.err(ctx.bool('all-namespaces') ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
  if (errors.length) throw new ErrorList(errors);
}

async function eventsFor(ctx: CommandContext, _info: ApiResourceInfo, obj: KubeObj): Promise<Event[]> {
  const m = obj.metadata as { name?: string; namespace?: string; uid?: string };
  const fieldSelector = `involvedObject.name=${m.name},involvedObject.namespace=${m.namespace ?? ''},involvedObject.uid=${m.uid}`;
  return (await listOrUndefined<Event>(ctx, resourcePath(Events, m.namespace), { fieldSelector })) ?? [];
}
