import type { AuditEntry } from '../../workers/apiserver/authz';
import { auditEventFields, describePolicyFailure, policyFailures, sortedAnnotations } from './audit-format';

/**
 * One audit entry as kube's audit Event has it: the request's fields, its `annotations` map (authorization
 * decision and reason, ValidatingAdmissionPolicy auditAnnotations and validation_failure, any others) sorted
 * by key, and the audited policy failures spelled out. Escape or the × button calls onClose.
 */
export function AuditDetail(props: { entry: AuditEntry; onClose(): void }) {
  const { entry } = props;
  const annotations = sortedAnnotations(entry);
  const failures = policyFailures(entry);
  return (
    <section
      className="audit-detail"
      data-testid="audit-detail"
      aria-label="Audit entry"
      onKeyDown={(ev) => {
        if (ev.key === 'Escape') (ev.stopPropagation(), props.onClose());
      }}
    >
      <header className="pane-header">
        <span>
          {entry.verb} {entry.resource || entry.uri.split('?')[0]} <span className="muted">{entry.uri}</span>
        </span>
        <button type="button" className="ghost" onClick={props.onClose} data-testid="audit-detail-close" title="Close details" aria-label="Close details">
          ×
        </button>
      </header>
      <dl className="audit-fields">
        {auditEventFields(entry).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {failures.length > 0 && (
        <ul className="audit-failures" aria-label="Audited policy failures">
          {failures.map((f, i) => (
            <li key={i} data-testid="audit-policy-failure">
              {describePolicyFailure(f)}
            </li>
          ))}
        </ul>
      )}
      <table className="audit-table audit-annotations" aria-label="Annotations">
        <colgroup>
          <col style={{ width: '42%' }} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th>annotation</th>
            <th>value</th>
          </tr>
        </thead>
        <tbody>
          {annotations.map(([k, v]) => (
            <tr key={k} data-testid="audit-annotation">
              <td title={k}>{k}</td>
              <td title={v}>{v}</td>
            </tr>
          ))}
          {!annotations.length && (
            <tr>
              <td colSpan={2} className="muted">
                none recorded
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
