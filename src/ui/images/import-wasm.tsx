import { useCallback, useEffect, useRef, useState } from 'react';
import { localNameFromFile, openLocalImages, packWasmImage, validateLocalName, type LocalImageLibrary, type LocalImageRecord } from '../../workers/runtime/local-images';
import { checkWasiModule } from './wasm-check';

let library: Promise<LocalImageLibrary> | undefined;
/** The page's one connection to the local image library (opened on first use, kept for the page's life). */
const openLibrary = () => (library ??= openLocalImages());

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice().buffer as ArrayBuffer));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const isWasmFile = (f: File) => /\.wasm$/i.test(f.name) || f.type === 'application/wasm';
const runCommand = (r: LocalImageRecord) => `kubectl run ${r.short.slice('local/'.length).replace(/[:.]/g, '-')} --image=${r.short} --restart=Never`;
const kib = (n: number) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;

type Outcome = { ok: boolean; text: string; warnings?: string[] };

/**
 * Topbar "Import .wasm" button, the import dialog and the page-wide drop target. Dropping a `.wasm` anywhere
 * on the page (captured before the editor or terminal see it) opens the dialog with that file; other file drops
 * go to whoever takes them (the workspace takes manifests), and one nobody takes opens the dialog with an error
 * instead of the browser navigating to the file. Import checks the module, packs it as local/<name>:latest and
 * stores it for every node.
 */
export function ImportWasm() {
  const [open, setOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [file, setFile] = useState<File>();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [images, setImages] = useState<LocalImageRecord[]>([]);
  const input = useRef<HTMLInputElement | null>(null);

  const refresh = useCallback(async () => {
    try {
      setImages(await (await openLibrary()).list());
    } catch (err) {
      setOutcome({ ok: false, text: `cannot open the image library: ${err instanceof Error ? err.message : String(err)}` });
    }
  }, []);

  const choose = useCallback((f: File | undefined) => {
    setFile(f);
    setOutcome(f && !isWasmFile(f) ? { ok: false, text: `${f.name} is not a .wasm file` } : undefined);
    if (f) setName(localNameFromFile(f.name));
  }, []);

  useEffect(() => {
    if (open) void refresh();
  }, [open, refresh]);

  useEffect(() => {
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    // During a drag only MIME types are readable: the overlay shows for application/wasm items.
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging([...(e.dataTransfer?.items ?? [])].some((i) => i.type === 'application/wasm'));
    };
    const leave = (e: DragEvent) => {
      if (!e.relatedTarget) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      setDragging(false);
      const f = e.dataTransfer?.files?.[0];
      if (!f || !isWasmFile(f)) return;
      e.preventDefault();
      e.stopPropagation();
      choose(f);
      setOpen(true);
    };
    // A file drop nothing on the page took would make the browser open the file, leaving the cluster.
    const unhandled = (e: DragEvent) => {
      const f = e.dataTransfer?.files?.[0];
      if (!f || e.defaultPrevented) return;
      e.preventDefault();
      choose(f);
      setOpen(true);
    };
    window.addEventListener('dragover', over, true);
    window.addEventListener('dragleave', leave, true);
    window.addEventListener('drop', drop, true);
    window.addEventListener('drop', unhandled);
    return () => {
      window.removeEventListener('drop', unhandled);
      window.removeEventListener('dragover', over, true);
      window.removeEventListener('dragleave', leave, true);
      window.removeEventListener('drop', drop, true);
    };
  }, [choose]);

  const nameError = (() => {
    if (!name) return file ? 'give the image a name' : undefined;
    try {
      validateLocalName(name);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  })();

  const doImport = async () => {
    if (!file || !isWasmFile(file) || nameError) return;
    setBusy(true);
    try {
      const wasm = new Uint8Array(await file.arrayBuffer());
      const check = await checkWasiModule(wasm);
      if (check.error) {
        setOutcome({ ok: false, text: `${file.name}: ${check.error}` });
        return;
      }
      const packed = await packWasmImage({ name, wasm, importedAt: Date.now(), sha256: sha256Hex });
      await (await openLibrary()).add(packed);
      setOutcome({ ok: true, text: `Imported ${packed.record.short}:latest (${kib(wasm.length)}), on every node. Run it:\n${runCommand(packed.record)}`, warnings: check.warnings });
      setFile(undefined);
      setName('');
      if (input.current) input.current.value = '';
      await refresh();
    } catch (err) {
      setOutcome({ ok: false, text: `import failed: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (r: LocalImageRecord) => {
    await (await openLibrary()).remove(r.ref);
    setOutcome({ ok: true, text: `Removed ${r.short} (nodes that pulled it keep their copy until the image is garbage-collected)` });
    await refresh();
  };

  return (
    <>
      <button type="button" className="ghost" data-testid="import-wasm-open" onClick={() => setOpen(true)} title="Run your own WASI program: import a .wasm as image local/<name> (or drop one on the page)">
        Import .wasm
      </button>
      {dragging && !open && (
        <div className="drop-overlay" data-testid="wasm-drop-overlay">
          Drop a <code>.wasm</code> (WASI preview1) to make it an image
        </div>
      )}
      {open && (
        <div className="modal-backdrop" onClick={(e) => e.target === e.currentTarget && setOpen(false)}>
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="import-wasm-title" data-testid="import-wasm-dialog" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
            <header className="pane-header">
              <span id="import-wasm-title">Import a program</span>
              <button type="button" className="ghost" onClick={() => setOpen(false)} data-testid="import-wasm-close" title="Close">
                ×
              </button>
            </header>
            <div className="modal-body">
              <p className="muted">
                A WASI preview1 command module (<code>wasm32-wasip1</code>, e.g. <code>clang --target=wasm32-wasip1</code> or <code>cargo build --target wasm32-wasip1</code>) becomes the
                image <code>local/&lt;name&gt;:latest</code>, stored in this browser and available to every node. Its entrypoint is <code>/&lt;name&gt;</code>; see docs/images.md for the ABI.
              </p>
              <label className="field">
                <span>File</span>
                <input ref={input} type="file" accept=".wasm,application/wasm" data-testid="wasm-file" onChange={(e) => choose(e.target.files?.[0])} />
              </label>
              <label className="field">
                <span>Image</span>
                <span className="image-name">
                  local/
                  <input value={name} onChange={(e) => setName(e.target.value.trim())} placeholder="name" data-testid="wasm-name" aria-invalid={!!nameError} />
                  :latest
                </span>
              </label>
              {nameError && <div className="field-error">{nameError}</div>}
              <div className="modal-actions">
                <button type="button" disabled={!file || !isWasmFile(file) || !!nameError || busy} onClick={() => void doImport()} data-testid="wasm-import">
                  {busy ? 'Importing…' : 'Import'}
                </button>
              </div>
              {outcome && (
                <pre className={`apply-outcome ${outcome.ok ? 'ok' : 'error'}`} data-testid="wasm-message">
                  {outcome.text}
                  {(outcome.warnings ?? []).map((w) => `\nwarning: ${w}`).join('')}
                </pre>
              )}
              <strong className="modal-subtitle">Imported images</strong>
              {images.length === 0 ? (
                <p className="muted">None yet.</p>
              ) : (
                <ul className="local-images">
                  {images.map((r) => (
                    <li key={r.ref} data-testid="local-image" data-image={r.short}>
                      <span>
                        <strong>{r.short}</strong> <span className="muted">{kib(r.size)} · {r.descriptor.digest.slice(0, 19)}</span>
                      </span>
                      <code className="muted">{runCommand(r)}</code>
                      <button type="button" className="ghost" onClick={() => void remove(r)} data-testid="local-image-remove">
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </div>
      )}
    </>
  );
}
