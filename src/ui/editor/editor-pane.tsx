import { useEffect, useRef, useState } from 'react';
import { parseManifests } from '../../kubectl';

type Monaco = typeof import('monaco-editor/editor/editor.api');
type Editor = import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor;

export interface ApplyOutcome {
  ok: boolean;
  text: string;
}

const STORAGE_KEY = 'tabernetes.editor.buffer';

/**
 * The manifest editor. Apply (button or Ctrl/Cmd+Enter) first parses the buffer locally: a YAML error
 * is marked at its line and column and nothing is sent. Otherwise the buffer goes to onApply
 * (kubectl apply -f -). Monaco loads lazily so it never delays the cluster's boot.
 */
export function EditorPane(props: { initial: string; onApply: (text: string) => Promise<ApplyOutcome>; disabled: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const [outcome, setOutcome] = useState<ApplyOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const applyRef = useRef<() => void>(() => undefined);

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
    void import('./monaco-setup').then(({ monaco }) => {
      if (disposed || !host.current) return;
      monacoRef.current = monaco;
      // The .yaml URI is what monaco-yaml's schema association matches.
      const model = monaco.editor.createModel(localStorage.getItem(STORAGE_KEY) ?? props.initial, 'yaml', monaco.Uri.parse('file:///manifest.yaml'));
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
        localStorage.setItem(STORAGE_KEY, ed.getValue());
        const model = ed.getModel();
        if (model) monaco.editor.setModelMarkers(model, 'kubectl', []);
      });
    });
    return () => {
      disposed = true;
      editorRef.current?.getModel()?.dispose();
      editorRef.current?.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section className="pane editor-pane">
      <header className="pane-header">
        <span>manifest.yaml</span>
        <button data-testid="apply" onClick={() => void apply()} disabled={props.disabled || busy} title="Apply (Ctrl/Cmd+Enter)">
          {busy ? 'Applying…' : 'Apply'}
        </button>
      </header>
      <div className="editor-host" ref={host} data-testid="editor" />
      {outcome && (
        <pre className={`apply-outcome ${outcome.ok ? 'ok' : 'error'}`} data-testid="apply-outcome" role="status">
          {outcome.text}
        </pre>
      )}
    </section>
  );
}
