import { useEffect, useState } from 'react';
import type { Pod } from 'kubernetes-types/core/v1';
import type { SchedulingExplanation } from '../../workers/scheduler/explain';
import { PodPorts } from './open-links';

/**
 * "Why is this pod here / Pending?": the scheduler's last attempt for the pod (window.tabernetes.explainScheduling),
 * shown as node ▸ plugin ▸ pass/fail reason, and for feasible nodes each score plugin's normalized × weight.
 * Re-reads when the pod changes (resourceVersion). Closing calls onClose.
 */
export function PodPanel(props: { pod: Pod; onClose(): void }) {
  const ns = props.pod.metadata?.namespace ?? 'default';
  const name = props.pod.metadata?.name ?? '';
  const [ex, setEx] = useState<SchedulingExplanation | undefined | 'loading'>('loading');
  useEffect(() => {
    let live = true;
    void window.tabernetes
      .explainScheduling(ns, name)
      .then((r) => live && setEx(r))
      .catch(() => live && setEx(undefined));
    return () => {
      live = false;
    };
  }, [ns, name, props.pod.metadata?.resourceVersion]);
  const cond = props.pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return (
    <div className="pod-panel" data-testid="pod-panel" style={{ border: '1px solid #334', borderRadius: 6, padding: 8, marginTop: 8, fontSize: 12 }}>
      <div style={{ display: 'flex', gap: 8 }}>
        <strong>
          {ns}/{name}
        </strong>
        <span className="muted">{props.pod.spec?.nodeName ? `on ${props.pod.spec.nodeName}` : 'Pending'}</span>
        <button type="button" onClick={props.onClose} style={{ marginLeft: 'auto' }} aria-label="close">
          ×
        </button>
      </div>
      <PodPorts pod={props.pod} />
      {cond?.status === 'False' && <pre data-testid="pod-panel-why" style={{ whiteSpace: 'pre-wrap' }}>{cond.message}</pre>}
      {ex === 'loading' ? (
        <div className="muted">loading…</div>
      ) : !ex ? (
        <div className="muted" data-testid="pod-panel-none">
          No scheduling attempt recorded (bound by nodeName, another scheduler, or before the scheduler started).
        </div>
      ) : (
        <Explanation ex={ex} />
      )}
    </div>
  );
}

function Explanation({ ex }: { ex: SchedulingExplanation }) {
  const d = ex.diagnosis;
  return (
    <div data-testid="pod-panel-explain">
      <div>
        {ex.outcome === 'Scheduled' ? `Scheduled to ${ex.node}` : 'Unschedulable'} · {d.evaluated} node(s) evaluated, {d.feasible} feasible
        {ex.preemption && ` · preempting ${ex.preemption.victims.join(', ')} on ${ex.preemption.node}`}
      </div>
      {d.preFilter && (
        <div>
          PreFilter {d.preFilter.plugin}: {d.preFilter.reasons.join(', ')}
        </div>
      )}
      <ul style={{ listStyle: 'none', padding: 0, margin: '4px 0 0' }}>
        {[...d.nodes]
          .sort((a, b) => (b.total ?? -1) - (a.total ?? -1))
          .map((n) => {
            const failed = n.filters.find((f) => !f.passed);
            return (
              <li key={n.node} data-testid="pod-panel-node" data-node={n.node} style={{ marginBottom: 4 }}>
                <div>
                  <strong>{n.node === d.selected ? '★ ' : ''}{n.node}</strong>{' '}
                  {failed ? (
                    <span style={{ color: '#f87171' }}>
                      ✗ {failed.plugin}: {failed.reasons?.join(', ')}
                    </span>
                  ) : (
                    <span style={{ color: '#4ade80' }}>✓ fits{n.total !== undefined ? ` · score ${n.total}` : ''}</span>
                  )}
                </div>
                <div className="muted" style={{ paddingLeft: 12 }}>
                  {n.filters.map((f) => `${f.plugin} ${f.passed ? '✓' : '✗'}`).join(' ▸ ')}
                </div>
                {n.scores && (
                  <div className="muted" style={{ paddingLeft: 12 }}>
                    {n.scores.map((s) => `${s.plugin} ${s.normalized}×${s.weight}`).join(' · ')}
                  </div>
                )}
              </li>
            );
          })}
      </ul>
    </div>
  );
}
