import { useEffect, useRef, useState } from 'react';

/** What the apiserver Worker offers for etcdctl-style snapshot save/restore (src/workers/apiserver/main.ts). */
export interface SnapshotApi {
  /** The whole store in the snapshot format (src/storage/snapshot-format.ts). */
  snapshot(): Promise<Uint8Array>;
  /** Verifies bytes, stops the apiserver and replaces the cluster's database with them; the page must reload after. */
  importSnapshot(bytes: Uint8Array): Promise<void>;
}

export interface SnapshotControlsProps {
  booted: Promise<{ snapshots?: SnapshotApi }>;
  /** Called after a successful import (the page reloads). */
  onImported?: () => void;
}

/**
 * Topbar Export / Import. Export downloads tabernetes-snapshot-<time>.etcd.jsonl; Import asks for
 * confirmation, replaces the whole cluster with the file and reloads. Errors (corrupt file, newer format)
 * are shown next to the buttons and logged to the console; nothing is replaced then.
 */
export function SnapshotControls({ booted, onImported = () => location.reload() }: SnapshotControlsProps) {
  const [api, setApi] = useState<SnapshotApi>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const file = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    booted.then((b) => setApi(b.snapshots), () => undefined);
  }, [booted]);

  const fail = (what: string, err: unknown) => {
    const text = `${what} failed: ${err instanceof Error ? err.message : String(err)}`;
    console.error(text);
    setMessage(text);
  };

  const exportSnapshot = async () => {
    if (!api) return;
    setBusy(true);
    try {
      const bytes = await api.snapshot();
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `tabernetes-snapshot-${new Date().toISOString().replace(/[:.]/g, '-')}.etcd.jsonl`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage(`exported ${bytes.length} bytes`);
    } catch (err) {
      fail('export', err);
    } finally {
      setBusy(false);
    }
  };

  const importSnapshot = async (f: File | undefined) => {
    if (!api || !f) return;
    if (!confirm(`Replace the whole cluster with ${f.name}? The current cluster state is lost.`)) return;
    setBusy(true);
    try {
      await api.importSnapshot(new Uint8Array(await f.arrayBuffer()));
      setMessage('imported; reloading');
      onImported();
    } catch (err) {
      fail('import', err);
      setBusy(false);
    }
  };

  return (
    <span className="snapshot-controls" data-testid="snapshot-controls" style={{ marginLeft: 'auto' }}>
      <button type="button" disabled={!api || busy} onClick={() => void exportSnapshot()} title="Save the cluster's etcd to a file (etcdctl snapshot save)">
        Export
      </button>{' '}
      <button type="button" disabled={!api || busy} onClick={() => file.current?.click()} title="Replace the cluster with a saved snapshot (etcdctl snapshot restore)">
        Import
      </button>
      <input
        ref={file}
        type="file"
        accept=".jsonl,.etcd,application/x-ndjson"
        hidden
        data-testid="snapshot-file"
        onChange={(e) => {
          void importSnapshot(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {message && <span className="muted" data-testid="snapshot-message"> {message}</span>}
    </span>
  );
}
