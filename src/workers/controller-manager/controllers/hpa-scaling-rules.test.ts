import { describe, expect, it } from 'vitest';
import { HpaScalingRules } from './hpa-scaling-rules';

const base = { key: 'default/web', min: 1, max: 10 };

describe('HPA scaling rules without behavior', () => {
  it('holds the highest recommendation of the last 5 minutes on a scale down', () => {
    const r = new HpaScalingRules();
    r.initial(base.key, 5, 0);
    expect(r.normalize({ ...base, current: 5, desired: 2, now: 15_000 })).toEqual({
      replicas: 5,
      ableToScale: ['ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation'],
      limited: ['False', 'DesiredWithinRange', 'the desired count is within the acceptable range'],
    });
    expect(r.normalize({ ...base, current: 5, desired: 2, now: 200_000 }).replicas).toBe(5);
    // the initial 5 is older than 5 minutes at 301 s; only the 2s remain
    const later = r.normalize({ ...base, current: 5, desired: 2, now: 301_000 });
    expect(later.replicas).toBe(2);
    expect(later.ableToScale[0]).toBe('ReadyForNewScale');
  });

  it('limits a scale up to max(2 × current, 4) and to maxReplicas, and raises to minReplicas', () => {
    const r = new HpaScalingRules();
    expect(r.normalize({ ...base, current: 1, desired: 9, now: 0 })).toMatchObject({ replicas: 4, limited: ['True', 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'] });
    expect(r.normalize({ ...base, current: 8, desired: 12, now: 1 })).toMatchObject({ replicas: 10, limited: ['True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'] });
    expect(new HpaScalingRules().normalize({ ...base, min: 2, current: 3, desired: 1, now: 0 })).toMatchObject({ replicas: 2, limited: ['True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'] });
  });
});

describe('HPA scaling rules with behavior', () => {
  const behavior = {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
  };

  it('applies the scale-up policy per period over recorded scale events', () => {
    const r = new HpaScalingRules();
    const first = r.normalize({ ...base, behavior, current: 2, desired: 6, now: 0 });
    expect(first).toMatchObject({ replicas: 3, limited: ['True', 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'] });
    r.recordScale(base.key, behavior, 2, 3, 0);
    // 30 s later the period still holds the +1: the limit is 2 + 1 = 3
    expect(r.normalize({ ...base, behavior, current: 3, desired: 6, now: 30_000 }).replicas).toBe(3);
    expect(r.normalize({ ...base, behavior, current: 3, desired: 6, now: 61_000 }).replicas).toBe(4);
  });

  it('uses the scale-down stabilization window and percent policy', () => {
    const r = new HpaScalingRules();
    r.initial(base.key, 8, 0);
    expect(r.normalize({ ...base, behavior, current: 8, desired: 1, now: 10_000 })).toMatchObject({ replicas: 8, ableToScale: ['ScaleDownStabilized', expect.any(String)] });
    const down = r.normalize({ ...base, behavior, current: 8, desired: 1, now: 70_000 });
    expect(down).toMatchObject({ replicas: 4, limited: ['True', 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate'] });
  });

  it('does not scale in a direction whose selectPolicy is Disabled', () => {
    const r = new HpaScalingRules();
    const disabled = { ...behavior, scaleUp: { ...behavior.scaleUp, selectPolicy: 'Disabled' } };
    expect(r.normalize({ ...base, behavior: disabled, current: 2, desired: 6, now: 0 }).replicas).toBe(2);
  });
});
