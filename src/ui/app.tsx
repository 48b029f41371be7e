import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../client/api-client';
import { ClusterView } from './cluster/cluster-view';
import { SpeedControl } from './cluster/speed-control';
import { TabOwnership } from './cluster/tab-ownership';
import { SnapshotControls, type SnapshotApi } from './cluster/snapshot-controls';
import { EditorPane, type ApplyOutcome } from './editor/editor-pane';
import { DEFAULT_MANIFEST } from './editor/default-manifest';
import { TerminalPane, type TerminalHandle } from './terminal/terminal-pane';
import type { KubectlRunner } from './kubectl-runner';
import { PreviewPane } from './preview/preview-pane';
import { AuditView, type AuditSource } from './audit';
import { ImportWasm } from './images';

export interface AppProps {
  booted: Promise<{ client: ApiClient; kubectl: KubectlRunner; snapshots?: SnapshotApi; audit?: AuditSource }>;
}

/** The page: cluster view, manifest editor and terminal. The UI is one more API client. */
export function App({ booted }: AppProps) {
  const [client, setClient] = useState<ApiClient>();
  const [kubectl, setKubectl] = useState<KubectlRunner>();
  const [bootError, setBootError] = useState<string>();
  const [audit, setAudit] = useState<AuditSource>();
  const [auditOpen, setAuditOpen] = useState(false);
  const terminal = useRef<TerminalHandle | null>(null);

  useEffect(() => {
    booted.then(
      (b) => {
        setClient(b.client);
        setKubectl(() => b.kubectl);
        if (b.audit) setAudit(() => b.audit);
      },
      (err: unknown) => setBootError(err instanceof Error ? err.message : String(err)),
    );
  }, [booted]);

  const onApply = useCallback(
    async (text: string): Promise<ApplyOutcome> => {
      if (!kubectl) return { ok: false, text: 'The cluster is still starting.' };
      let out = '';
      const code = await kubectl.run(['apply', '-f', '-'], { stdin: text, stdout: (s) => (out += s), stderr: (s) => (out += s) });
      terminal.current?.print(`\x1b[2m# editor: kubectl apply -f manifest.yaml\x1b[0m\n${out}`);
      return { ok: code === 0, text: out.trimEnd() };
    },
    [kubectl],
  );

  return (
    <div className="app">
      <TabOwnership />
      <header className="topbar">
        <strong>Tabernetes</strong>
        <span className="muted">a Kubernetes cluster in your browser tab</span>
        <SpeedControl disabled={!client} />
        <SnapshotControls booted={booted} />
        <ImportWasm />
        <button type="button" className={`ghost${auditOpen ? ' active' : ''}`} data-testid="audit-open" aria-pressed={auditOpen} onClick={() => setAuditOpen((o) => !o)} title="The apiserver's recent requests (audit log)">
          Audit
        </button>
      </header>
      <main className="layout">
        <ClusterView client={client} bootError={bootError} />
        <EditorPane initial={DEFAULT_MANIFEST} onApply={onApply} disabled={!kubectl} />
        <section className="pane terminal-pane">
          <header className="pane-header">
            <span>Terminal</span>
          </header>
          <TerminalPane kubectl={kubectl} onReady={(h) => (terminal.current = h)} />
        </section>
        <PreviewPane />
      </main>
      {auditOpen && <AuditView source={audit} onClose={() => setAuditOpen(false)} />}
    </div>
  );
}
