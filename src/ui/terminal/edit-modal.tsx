import { useEffect, useRef } from 'react';

type Editor = import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor;

const overlay: React.CSSProperties = { position: 'fixed', inset: 0, background: 'rgba(0,0,0,0.55)', display: 'flex', alignItems: 'center', justifyContent: 'center', zIndex: 1000 };
const panel: React.CSSProperties = { width: 'min(900px, 92vw)', height: 'min(640px, 85vh)', background: '#1e1e1e', border: '1px solid #444', borderRadius: 6, display: 'flex', flexDirection: 'column' };
const bar: React.CSSProperties = { display: 'flex', gap: 8, padding: 8, alignItems: 'center', color: '#ccc', fontSize: 13 };

/**
 * `kubectl edit`'s editor in the tab: a modal with its own Monaco instance showing kubectl's text.
 * Save (button or Ctrl/Cmd+S) resolves with the buffer; Cancel (button or Escape) with undefined.
 */
export function EditModal(props: { text: string; onDone: (text: string | undefined) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const doneRef = useRef(props.onDone);
  doneRef.current = props.onDone;

  useEffect(() => {
    let disposed = false;
    let ed: Editor | undefined;
    void import('../editor/monaco-setup').then(({ monaco }) => {
      if (disposed || !host.current) return;
      const model = monaco.editor.createModel(props.text, 'yaml', monaco.Uri.parse(`file:///kubectl-edit-${Date.now()}.yaml`));
      ed = monaco.editor.create(host.current, { model, theme: 'vs-dark', automaticLayout: true, minimap: { enabled: false }, fontSize: 13 });
      ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => doneRef.current(ed?.getValue()));
      ed.addCommand(monaco.KeyCode.Escape, () => doneRef.current(undefined));
      editorRef.current = ed;
      ed.focus();
    });
    return () => {
      disposed = true;
      const model = ed?.getModel();
      ed?.dispose();
      model?.dispose();
    };
    // The modal shows one text for its lifetime.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div style={overlay} data-testid="kubectl-edit">
      <div style={panel}>
        <div style={bar}>
          <strong>kubectl edit</strong>
          <span style={{ flex: 1 }}>Ctrl/Cmd+S saves and applies, Escape cancels</span>
          <button type="button" onClick={() => props.onDone(editorRef.current?.getValue() ?? props.text)}>
            Save
          </button>
          <button type="button" onClick={() => props.onDone(undefined)}>
            Cancel
          </button>
        </div>
        <div ref={host} style={{ flex: 1, minHeight: 0 }} />
      </div>
    </div>
  );
}
