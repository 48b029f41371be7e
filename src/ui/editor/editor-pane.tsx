import { useEffect, useRef, useState } from 'react';
import { parseManifests } from '../../kubectl';
import type { Workspace } from '../../workspace';
import { tabWorkspace } from './tab-workspace';
import { WorkspacePanel } from './workspace-panel';

type Monaco = typeof import('monaco-editor/editor/editor.api');
type Editor = import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor;

export interface ApplyOutcome {
  ok: boolean;
  text: string;
}

const STORAGE_KEY = 'tabernetes.editor.buffer';
/** The workspace file open in the editor (absent: the scratch buffer kept under STORAGE_KEY). */
const OPEN_KEY = 'tabernetes.editor.open';
/** Typing is saved to the open workspace file this long after the last change. */
const SAVE_DELAY_MS = 300;

/**
 * The manifest editor. Apply (button or Ctrl/Cmd+Enter) first parses the buffer locally: a YAML error
 * is marked at its line and column and nothing is sent. Otherwise the buffer goes to onApply
 * (kubectl apply -f -). Monaco loads lazily so it never delays the cluster's boot. Beside it, the workspace's
 * file list: the buffer is either the scratch buffer (localStorage) or an open workspace file, saved to it as
 * you type; a change made elsewhere (the terminal) reloads the open file unless an edit is still unsaved.
 */
export function EditorPane(props: { initial: string; onApply: (text: string) => Promise<ApplyOutcome>; disabled: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const [outcome, setOutcome] = useState<ApplyOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const applyRef = useRef<() => void>(() => undefined);
  const [ws, setWs] = useState<Workspace>();
  const wsRef = useRef<Workspace | undefined>(undefined);
  const [openPath, setOpenPath] = useState<string>();
  const openRef = useRef<string | undefined>(undefined);
  const loading = useRef(false);
  const pendingSave = useRef<{ path: string; text: string; timer: ReturnType<typeof setTimeout> } | undefined>(undefined);

  const flushSave = () => {
    const p = pendingSave.current;
    if (!p) return;
    clearTimeout(p.timer);
    pendingSave.current = undefined;
    void wsRef.current?.write(p.path, p.text).catch(() => undefined);
  };
  const bufferFor = (path: string | undefined) => (path === undefined ? (localStorage.getItem(STORAGE_KEY) ?? props.initial) : (wsRef.current?.readText(path) ?? ''));
  const setBuffer = (text: string) => {
    const ed = editorRef.current;
    if (!ed || ed.getValue() === text) return;
    loading.current = true;
    try {
      ed.setValue(text);
    } finally {
      loading.current = false;
    }
  };
  const open = (path: string | undefined) => {
    flushSave();
    openRef.current = path;
    setOpenPath(path);
    if (path === undefined) localStorage.removeItem(OPEN_KEY);
    else localStorage.setItem(OPEN_KEY, path);
    setBuffer(bufferFor(path));
  };

  useEffect(() => {
    if (!ws) return;
    const sub = ws.onChange(() => {
      const path = openRef.current;
      if (path === undefined || pendingSave.current) return;
      if (!ws.exists(path) || ws.isDir(path)) open(undefined);
      else setBuffer(ws.readText(path) ?? '');
    });
    return () => sub.dispose();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ws]);

  const apply = async () => {
    const ed = editorRef.current;
    const text = ed ? ed.getValue() : props.initial;
    const model = ed?.getModel();
    const m = monacoRef.current;
    const parsed = parseManifests(text, 'STDIN');
    if (m && model) m.editor.setModelMarkers(model, 'kubectl', []);
    if ('error' in parsed && parsed.error) {
      const e = parsed.error;
      if (m && model && e.line) {
        m.editor.setModelMarkers(model, 'kubectl', [
          { severity: m.MarkerSeverity.Error, message: e.message, startLineNumber: e.line, startColumn: e.column ?? 1, endLineNumber: e.line, endColumn: (e.column ?? 1) + 1 },
        ]);
      }
      setOutcome({ ok: false, text: e.message });
      return;
    }
    setBusy(true);
    try {
      setOutcome(await props.onApply(text));
    } finally {
      setBusy(false);
    }
  };
  applyRef.current = () => void apply();

  useEffect(() => {
    let disposed = false;
    const workspace = tabWorkspace().catch(() => undefined);
    void workspace.then((w) => {
      if (disposed || !w) return;
      wsRef.current = w;
      setWs(w);
      const last = localStorage.getItem(OPEN_KEY);
      if (last !== null && w.readText(last) !== undefined && openRef.current === undefined) open(last);
    });
    void Promise.all([import('./monaco-setup'), workspace]).then(([{ monaco }]) => {
      if (disposed || !host.current) return;
      monacoRef.current = monaco;
      // The .yaml URI is what monaco-yaml's schema association matches.
      const model = monaco.editor.createModel(bufferFor(openRef.current), 'yaml', monaco.Uri.parse('file:///manifest.yaml'));
      const ed = monaco.editor.create(host.current, {
        model,
        theme: 'vs-dark',
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 13,
        tabSize: 2,
        scrollBeyondLastLine: false,
      });
      editorRef.current = ed;
      ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => applyRef.current());
      ed.onDidChangeModelContent(() => {
        if (loading.current) return;
        const path = openRef.current;
        if (path === undefined) localStorage.setItem(STORAGE_KEY, ed.getValue());
        else {
          if (pendingSave.current) clearTimeout(pendingSave.current.timer);
          pendingSave.current = { path, text: ed.getValue(), timer: setTimeout(flushSave, SAVE_DELAY_MS) };
        }
        const model = ed.getModel();
        if (model) monaco.editor.setModelMarkers(model, 'kubectl', []);
      });
    });
    return () => {
      disposed = true;
      flushSave();
      editorRef.current?.getModel()?.dispose();
      editorRef.current?.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section className="pane editor-pane">
      <header className="pane-header">
        <span data-testid="editor-file">{openPath ?? 'manifest.yaml'}</span>
        <button data-testid="apply" onClick={() => void apply()} disabled={props.disabled || busy} title="Apply (Ctrl/Cmd+Enter)">
          {busy ? 'Applying…' : 'Apply'}
        </button>
      </header>
      <div className="editor-body">
        <WorkspacePanel workspace={ws} openPath={openPath} onOpen={open} />
        <div className="editor-host" ref={host} data-testid="editor" />
      </div>
      {outcome && (
        <pre className={`apply-outcome ${outcome.ok ? 'ok' : 'error'}`} data-testid="apply-outcome" role="status">
          {outcome.text}
        </pre>
      )}
    </section>
  );
}
