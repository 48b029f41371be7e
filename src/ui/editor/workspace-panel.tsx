import { useEffect, useState, type DragEvent } from 'react';
import { resolveWorkspacePath, type Workspace, type WorkspaceEntry } from '../../workspace';
import './workspace-panel.css';

/** Every entry of the workspace, depth-first, folders before their content, each with its depth. */
function walk(ws: Workspace, dir = '', depth = 0): { entry: WorkspaceEntry; depth: number }[] {
  return (ws.list(dir) ?? []).flatMap((entry) => [{ entry, depth }, ...(entry.dir ? walk(ws, entry.path, depth + 1) : [])]);
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The workspace's file list beside the editor: click opens a file; New file, New folder, Rename and Delete
 * act on the workspace (prompts name paths relative to the selected folder); .yaml/.yml/.json files dropped
 * on the list or uploaded are written into the selected folder. Failures show under the list.
 */
export function WorkspacePanel(props: { workspace: Workspace | undefined; openPath: string | undefined; onOpen(path: string | undefined): void }) {
  const ws = props.workspace;
  const [, setVersion] = useState(0);
  const [selected, setSelected] = useState<string>('');
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    if (!ws) return;
    const sub = ws.onChange(() => setVersion((v) => v + 1));
    return () => sub.dispose();
  }, [ws]);
  if (!ws) return <nav className="workspace-panel" data-testid="workspace" />;

  const folder = ws.isDir(selected) ? selected : selected.split('/').slice(0, -1).join('/');
  const act = async (fn: () => Promise<void>) => {
    setProblem(undefined);
    try {
      await fn();
    } catch (e) {
      setProblem(errorText(e));
    }
  };
  const newFile = () =>
    act(async () => {
      const name = window.prompt('New file name', 'new.yaml');
      if (!name) return;
      const path = resolveWorkspacePath(folder, name);
      if (ws.exists(path)) throw new Error(`${path}: File exists`);
      await ws.write(path, '');
      setSelected(path);
      props.onOpen(path);
    });
  const newFolder = () =>
    act(async () => {
      const name = window.prompt('New folder name');
      if (name) await ws.mkdir(resolveWorkspacePath(folder, name), { parents: true });
    });
  const rename = () =>
    act(async () => {
      if (!selected) return;
      const name = window.prompt('Rename to', selected);
      if (!name || name === selected) return;
      const to = resolveWorkspacePath('', name);
      await ws.rename(selected, to);
      if (props.openPath === selected) props.onOpen(to);
      setSelected(to);
    });
  const remove = () =>
    act(async () => {
      if (!selected || !window.confirm(`Delete ${selected}${ws.isDir(selected) ? ' and everything in it' : ''}?`)) return;
      await ws.remove(selected, { recursive: true });
      if (props.openPath && (props.openPath === selected || props.openPath.startsWith(selected + '/'))) props.onOpen(undefined);
      setSelected('');
    });
  const upload = (files: FileList | null) =>
    act(async () => {
      for (const f of Array.from(files ?? [])) {
        if (!/\.(ya?ml|json)$/i.test(f.name)) throw new Error(`${f.name}: only .yaml, .yml and .json files can be added`);
        await ws.write(resolveWorkspacePath(folder, f.name), await f.text());
      }
    });
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    void upload(e.dataTransfer.files);
  };

  return (
    <nav className="workspace-panel" data-testid="workspace" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <div className="workspace-actions">
        <button onClick={() => void newFile()} title="New file">+ File</button>
        <button onClick={() => void newFolder()} title="New folder">+ Folder</button>
        <button onClick={() => void rename()} disabled={!selected} title="Rename">Rename</button>
        <button onClick={() => void remove()} disabled={!selected} title="Delete">Delete</button>
        <label className="workspace-upload" title="Upload .yaml files">
          Upload
          <input type="file" accept=".yaml,.yml,.json" multiple data-testid="workspace-upload" onChange={(e) => void upload(e.target.files)} />
        </label>
      </div>
      <ul>
        <li className={props.openPath === undefined ? 'open' : ''} onClick={() => (setSelected(''), props.onOpen(undefined))} title="The scratch buffer">
          <em>scratch</em>
        </li>
        {walk(ws).map(({ entry, depth }) => (
          <li
            key={entry.path}
            data-path={entry.path}
            className={[entry.dir ? 'dir' : 'file', entry.path === selected ? 'selected' : '', entry.path === props.openPath ? 'open' : ''].join(' ')}
            style={{ paddingLeft: 8 + depth * 12 }}
            onClick={() => {
              setSelected(entry.path);
              if (!entry.dir) props.onOpen(entry.path);
            }}
          >
            {entry.dir ? '▸ ' : ''}
            {entry.name}
          </li>
        ))}
      </ul>
      {problem && <p className="workspace-problem" role="alert">{problem}</p>}
    </nav>
  );
}
