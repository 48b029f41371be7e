import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2';

/**
 * The HPA's normalization of a metric recommendation (horizontal.go): stabilization windows over recent
 * recommendations and scale-rate limits, per HPA key, on ms timestamps of the injected clock. Without
 * spec.behavior: the 5-minute downscale window and the max(2×current, 4) scale-up limit; with it: both
 * windows and the policies (Pods/Percent per period, selectPolicy Max/Min/Disabled) over recorded scale events.
 * Each call returns the replicas plus the AbleToScale and ScalingLimited [reason, message] kube sets.
 */
export const DOWNSCALE_STABILIZATION_MS = 5 * 60_000;

interface Rec {
  replicas: number;
  at: number;
}
interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

export interface Normalized {
  replicas: number;
  ableToScale: [string, string];
  /** [status, reason, message] of ScalingLimited. */
  limited: ['True' | 'False', string, string];
}

export interface NormalizeArgs {
  key: string;
  current: number;
  desired: number;
  min: number;
  max: number;
  behavior?: HorizontalPodAutoscalerBehavior;
  now: number;
}

const READY: [string, string] = ['ReadyForNewScale', 'recommended size matches current size'];
const DOWN_STABILIZED: [string, string] = ['ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation'];
const UP_STABILIZED: [string, string] = ['ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation'];
const WITHIN: [string, string] = ['DesiredWithinRange', 'the desired count is within the acceptable range'];
const UP_LIMIT: [string, string] = ['ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'];
const TOO_MANY: [string, string] = ['TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
const DOWN_LIMIT: [string, string] = ['ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate'];
const TOO_FEW: [string, string] = ['TooFewReplicas', 'the desired replica count is less than the minimum replica count'];

export class HpaScalingRules {
  private readonly recommendations = new Map<string, Rec[]>();
  private readonly upEvents = new Map<string, ScaleEvent[]>();
  private readonly downEvents = new Map<string, ScaleEvent[]>();

  /** recordInitialRecommendation: the first sight of an HPA counts the current replicas as a recommendation. */
  initial(key: string, replicas: number, now: number): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ replicas, at: now }]);
  }

  /** Forgets a deleted HPA. */
  forget(key: string): void {
    this.recommendations.delete(key);
    this.upEvents.delete(key);
    this.downEvents.delete(key);
  }

  normalize(a: NormalizeArgs): Normalized {
    return a.behavior ? this.withBehavior(a, a.behavior) : this.withoutBehavior(a);
  }

  /** storeScaleEvent: with behavior, a rescale from prev to next is remembered for the policies' periods. */
  recordScale(key: string, behavior: HorizontalPodAutoscalerBehavior | undefined, prev: number, next: number, now: number): void {
    if (!behavior || prev === next) return;
    const up = next > prev;
    const rules = up ? behavior.scaleUp : behavior.scaleDown;
    const longest = Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds)) * 1000;
    const map = up ? this.upEvents : this.downEvents;
    const events = map.get(key) ?? [];
    for (const e of events) if (e.at <= now - longest) e.outdated = true;
    const ev = { change: up ? next - prev : prev - next, at: now, outdated: false };
    const i = events.findIndex((e) => e.outdated);
    if (i >= 0) events[i] = ev;
    else events.push(ev);
    map.set(key, events);
  }

  /** Replaces the oldest sample older than every window, or appends. */
  private record(key: string, desired: number, now: number, isOld: (r: Rec) => boolean): void {
    const recs = this.recommendations.get(key) ?? [];
    let old = -1;
    recs.forEach((r, i) => isOld(r) && (old = i));
    if (old >= 0) recs[old] = { replicas: desired, at: now };
    else recs.push({ replicas: desired, at: now });
    this.recommendations.set(key, recs);
  }

  private withoutBehavior(a: NormalizeArgs): Normalized {
    const cutoff = a.now - DOWNSCALE_STABILIZATION_MS;
    let stabilized = a.desired;
    for (const r of this.recommendations.get(a.key) ?? []) if (r.at >= cutoff && r.replicas > stabilized) stabilized = r.replicas;
    this.record(a.key, a.desired, a.now, (r) => r.at < cutoff);
    const ableToScale = stabilized !== a.desired ? DOWN_STABILIZED : READY;
    const upLimit = Math.max(2 * a.current, 4);
    const [maxAllowed, maxWhy] = a.max > upLimit ? [upLimit, UP_LIMIT] : [a.max, TOO_MANY];
    let replicas = stabilized;
    let why = WITHIN;
    if (stabilized < a.min) [replicas, why] = [a.min, TOO_FEW];
    else if (stabilized > maxAllowed) [replicas, why] = [maxAllowed, maxWhy];
    return { replicas, ableToScale, limited: [replicas === stabilized ? 'False' : 'True', why[0], why[1]] };
  }

  private withBehavior(a: NormalizeArgs, b: HorizontalPodAutoscalerBehavior): Normalized {
    const upRules = b.scaleUp ?? {};
    const downRules = b.scaleDown ?? {};
    const upCutoff = a.now - (upRules.stabilizationWindowSeconds ?? 0) * 1000;
    const downCutoff = a.now - (downRules.stabilizationWindowSeconds ?? DOWNSCALE_STABILIZATION_MS / 1000) * 1000;
    let upRec = a.desired;
    let downRec = a.desired;
    for (const r of this.recommendations.get(a.key) ?? []) {
      if (r.at > upCutoff) upRec = Math.min(upRec, r.replicas);
      if (r.at > downCutoff) downRec = Math.max(downRec, r.replicas);
    }
    this.record(a.key, a.desired, a.now, (r) => r.at < upCutoff && r.at < downCutoff);
    const stabilized = Math.min(Math.max(a.current, upRec), downRec);
    const ableToScale = stabilized === a.desired ? READY : a.desired >= a.current ? UP_STABILIZED : DOWN_STABILIZED;

    let replicas = stabilized;
    let why = WITHIN;
    if (stabilized > a.current) {
      const limit = Math.max(this.scaleLimit(a, upRules, true), a.current);
      const [maxAllowed, maxWhy] = a.max > limit ? [limit, UP_LIMIT] : [a.max, TOO_MANY];
      if (stabilized > maxAllowed) [replicas, why] = [maxAllowed, maxWhy];
    } else if (stabilized < a.current) {
      const limit = Math.min(this.scaleLimit(a, downRules, false), a.current);
      const [minAllowed, minWhy] = a.min < limit ? [limit, DOWN_LIMIT] : [a.min, TOO_FEW];
      if (stabilized < minAllowed) [replicas, why] = [minAllowed, minWhy];
    }
    return { replicas, ableToScale, limited: [replicas === stabilized ? 'False' : 'True', why[0], why[1]] };
  }

  /** calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors. */
  private scaleLimit(a: NormalizeArgs, rules: HPAScalingRules, up: boolean): number {
    if (rules.selectPolicy === 'Disabled') return a.current;
    const minChange = rules.selectPolicy === 'Min';
    // Up: Max picks the largest proposal, Min the smallest; down: the reverse.
    const pickLargest = up !== minChange;
    let result = pickLargest ? -Infinity : Infinity;
    for (const p of rules.policies ?? []) {
      const since = a.now - p.periodSeconds * 1000;
      const sum = (evs: ScaleEvent[] | undefined) => (evs ?? []).filter((e) => e.at > since && !e.outdated).reduce((s, e) => s + e.change, 0);
      const start = a.current - sum(this.upEvents.get(a.key)) + sum(this.downEvents.get(a.key));
      const proposed = up
        ? p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100))
        : p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = pickLargest ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return Number.isFinite(result) ? result : a.current;
  }
}
