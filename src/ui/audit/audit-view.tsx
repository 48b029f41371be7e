import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { AuditEntry } from '../../workers/apiserver/authz';
import { AuditDetail } from './audit-detail';
import { formatLatency, hasPolicyFailure, matchesAuditFilter, policyFailures } from './audit-format';

/** The apiserver Worker's audit() (src/ui/boot/boot-cluster.ts BootedCluster.audit). */
export type AuditSource = () => Promise<AuditEntry[]>;

/** How often the open view asks for the ring (ms, page time). */
const POLL_MS = 1000;

function codeClass(code: number): string {
  return code >= 500 ? 'audit-5xx' : code >= 400 ? 'audit-4xx' : 'audit-2xx';
}

function failureTitle(n: number): string {
  return n > 1 ? `${n} policy failures audited` : 'a policy failure audited';
}

/** Identifies an entry across polls (each poll brings fresh copies). */
function entryKey(e: AuditEntry): string {
  return `${e.time}|${e.uri}|${e.user}|${e.verb}|${e.code}|${e.latencyMs ?? ''}`;
}

/**
 * Row keys: Enter/Space toggle the row's details, Escape closes them, Up/Down move focus to the neighbouring
 * row and show its details if details are open.
 */
function onRowKey(ev: KeyboardEvent<HTMLTableRowElement>, toggle: () => void, close: () => void, follow: (delta: 1 | -1) => boolean): void {
  if (ev.key === 'Enter' || ev.key === ' ') toggle();
  else if (ev.key === 'Escape') close();
  else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    const to = ev.key === 'ArrowDown' ? ev.currentTarget.nextElementSibling : ev.currentTarget.previousElementSibling;
    if (!(to instanceof HTMLElement) || !follow(ev.key === 'ArrowDown' ? 1 : -1)) return;
    to.focus();
  } else return;
  ev.preventDefault();
}

/**
 * The audit view: the newest requests first, refreshed every second while open and not paused; a failed poll
 * shows its error and is retried at the next tick. Closing unmounts it (no polling then).
 */
export function AuditView(props: { source: AuditSource | undefined; onClose(): void }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [filter, setFilter] = useState('');
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<string>();
  const [failuresOnly, setFailuresOnly] = useState(false);
  /** The entry whose details are open (a snapshot: entries never change once recorded). */
  const [selected, setSelected] = useState<AuditEntry>();

  useEffect(() => {
    const source = props.source;
    if (!source || paused) return;
    let stopped = false;
    let inFlight = false;
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const next = await source();
        if (!stopped) (setEntries(next), setError(undefined));
      } catch (err) {
        if (!stopped) setError(err instanceof Error ? err.message : String(err));
      } finally {
        inFlight = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [props.source, paused]);

  const shown = useMemo(() => entries.filter((e) => (!failuresOnly || hasPolicyFailure(e)) && matchesAuditFilter(e, filter)).reverse(), [entries, filter, failuresOnly]);
  const selectedKey = selected && entryKey(selected);
  /** Stable React keys (rows keep their DOM node, and focus, across polls); twins get a counter. */
  const rowKeys = useMemo(() => {
    const seen = new Map<string, number>();
    return shown.map((e) => {
      const k = entryKey(e);
      const n = seen.get(k) ?? 0;
      seen.set(k, n + 1);
      return `${k}#${n}`;
    });
  }, [shown]);

  return (
    <aside className="drawer audit-view" data-testid="audit-view" aria-label="Audit log">
      <header className="pane-header">
        <span>
          Audit log <span className="muted">the apiserver's last {entries.length} requests</span>
        </span>
        <span className="drawer-actions">
          <label className="muted">
            <input type="checkbox" checked={paused} onChange={(e) => setPaused(e.target.checked)} data-testid="audit-pause" /> pause
          </label>
          <button type="button" className="ghost" onClick={props.onClose} data-testid="audit-close" title="Close">
            ×
          </button>
        </span>
      </header>
      <div className="drawer-toolbar">
        <input
          type="search"
          placeholder="filter: words, or user= verb= resource= ns= name= code=4xx"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="audit-filter"
          aria-label="Filter audit entries"
          autoFocus
        />
        <label className="muted" title="Only requests for which a ValidatingAdmissionPolicy with the Audit action failed">
          <input type="checkbox" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.target.checked)} data-testid="audit-failures-only" /> policy failures
        </label>
        <span className="muted" data-testid="audit-count">
          {shown.length} shown
        </span>
      </div>
      {error && <pre className="apply-outcome error">{error}</pre>}
      {!props.source && <p className="muted drawer-note">The cluster is still starting.</p>}
      <div className="audit-table-wrap">
        <table className="audit-table">
          <colgroup>
            <col style={{ width: 84 }} />
            <col style={{ width: '20%' }} />
            <col style={{ width: 64 }} />
            <col style={{ width: '22%' }} />
            <col />
            <col style={{ width: 48 }} />
            <col style={{ width: 64 }} />
          </colgroup>
          <thead>
            <tr>
              <th>time</th>
              <th>user</th>
              <th>verb</th>
              <th>resource</th>
              <th>namespace/name</th>
              <th>code</th>
              <th>latency</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => {
              const key = entryKey(e);
              const failed = hasPolicyFailure(e);
              const toggle = () => setSelected(key === selectedKey ? undefined : e);
              const follow = (d: 1 | -1) => {
                const next = shown[i + d];
                if (next && selected) setSelected(next);
                return !!next;
              };
              return (
                <tr
                  key={rowKeys[i]}
                  data-testid="audit-row"
                  title={e.uri}
                  tabIndex={0}
                  aria-selected={key === selectedKey}
                  className={key === selectedKey ? 'selected' : undefined}
                  onClick={toggle}
                  onKeyDown={(ev) => onRowKey(ev, toggle, () => setSelected(undefined), follow)}
                >
                  <td className="muted">{e.time.slice(11, 19)}</td>
                  <td>
                    {e.user}
                    {e.impersonatedBy && <span className="muted"> (as, by {e.impersonatedBy})</span>}
                  </td>
                  <td>{e.verb}</td>
                  <td>{e.resource || <span className="muted">{e.uri.split('?')[0]}</span>}</td>
                  <td title={e.namespace ? `${e.namespace}/${e.name}` : e.name}>
                    {e.namespace ? `${e.namespace}/${e.name}` : e.name}
                    {failed && (
                      <span className="audit-flag" data-testid="audit-policy-flag" title={failureTitle(policyFailures(e).length)}>
                        {' '}
                        policy ✗
                      </span>
                    )}
                  </td>
                  <td className={codeClass(e.code)}>{e.code}</td>
                  <td className="muted">{formatLatency(e.latencyMs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {selected && <AuditDetail entry={selected} onClose={() => setSelected(undefined)} />}
    </aside>
  );
}
