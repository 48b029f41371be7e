import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { LineEditor } from './line-editor';
import { completionEdit, formatCandidates } from './completion-edit';
import { EditModal } from './edit-modal';
import { Shell } from './shell';
import { TerminalStdin } from './terminal-stdin';
import { splitCommandLine } from '../../kubectl';
import { workspaceKubectlIO } from '../../workspace';
import { tabWorkspace } from '../editor/tab-workspace';
import type { KubectlRunner } from '../kubectl-runner';

/** The prompt for the shell's folder (the workspace root is ~), or "> " inside a here-document. */
const promptFor = (shell: Shell) => (shell.continuation ? '> ' : `\x1b[1;32mtabernetes\x1b[0m:\x1b[1;34m~${shell.cwd ? '/' + shell.cwd : ''}\x1b[0m$ `);

export interface TerminalHandle {
  /** Writes text as if a command printed it, then redraws the prompt. */
  print(text: string): void;
}

/**
 * The xterm.js pane: a line editor feeding the shell, which runs the page's kubectl. While a command reads
 * stdin (exec -i/-t, run -i) the keys go to it through TerminalStdin instead; the prompt returns when it ends.
 */
export function TerminalPane(props: { kubectl: KubectlRunner | undefined; onReady?: (h: TerminalHandle) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const kubectlRef = useRef(props.kubectl);
  kubectlRef.current = props.kubectl;
  const [editing, setEditing] = useState<{ text: string; resolve: (t: string | undefined) => void } | null>(null);
  useEffect(() => {
    if (props.kubectl) props.kubectl.editor = (text) => new Promise((resolve) => setEditing({ text, resolve }));
  }, [props.kubectl]);

  useEffect(() => {
    const term = new Terminal({
      convertEol: true,
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: '#0f1419', foreground: '#e6e1cf' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current!);
    const refit = () => {
      try {
        fit.fit();
      } catch {
        /* not laid out yet */
      }
    };
    refit();
    const ro = new ResizeObserver(refit);
    ro.observe(host.current!);

    const editor = new LineEditor('$ ');
    const stdin = new TerminalStdin({
      write: (s) => term.write(s),
      size: () => ({ width: term.cols, height: term.rows }),
      onResize: (cb) => term.onResize(({ cols, rows }) => cb({ width: cols, height: rows })),
      interrupt: () => {
        shell.interrupt();
        term.write('^C\r\n');
      },
    });
    const shellDeps: ConstructorParameters<typeof Shell>[0] = {
      splitCommandLine,
      write: (s) => term.write(s),
      clear: () => term.clear(),
      kubectl: async (argv, io) => {
        const k = kubectlRef.current;
        if (!k) {
          io.stderr('The connection to the server was refused - the cluster is still starting\n');
          return 1;
        }
        const ws = shellDeps.workspace;
        const files = ws ? workspaceKubectlIO(ws, () => io.cwd) : {};
        // Piped or here-document input is kubectl's stdin; otherwise it reads the keyboard.
        if (io.stdin !== undefined) return k.run(argv, { ...io, files });
        const keys = stdin.open();
        try {
          return await k.run(argv, { ...io, tty: true, stdinStream: keys.stream, files });
        } finally {
          // Keys typed while the command ran but never read by it: the shell's type-ahead.
          const rest = keys.close();
          if (rest) pending.push(...editor.feed(rest).lines);
        }
      },
    };
    const shell = new Shell(shellDeps);
    editor.setPrompt(promptFor(shell));
    void tabWorkspace().then(
      (ws) => (shellDeps.workspace = ws),
      () => undefined,
    );

    const pending: string[] = [];
    let running = false;
    const drain = async () => {
      if (running) return;
      running = true;
      while (pending.length) {
        const line = pending.shift()!;
        await shell.run(line);
        editor.setPrompt(promptFor(shell));
        if (!pending.length) term.write(editor.renderPrompt());
      }
      running = false;
    };

    term.write('Welcome to \x1b[1mTabernetes\x1b[0m: a Kubernetes cluster in this tab. Try \x1b[1mkubectl get nodes\x1b[0m.\r\n');
    term.write(editor.renderPrompt());
    const sub = term.onData((data) => {
      // A command reading the keyboard (exec -i/-t) gets every key, Ctrl-C included with -t.
      if (stdin.feed(data)) return;
      const r = editor.feed(data);
      if (r.interrupt && shell.busy) {
        shell.interrupt();
        pending.length = 0;
        term.write('^C\r\n');
        return;
      }
      if (r.clearScreen) {
        term.clear();
        term.write('\x1b[2K\r' + editor.renderPrompt());
      }
      if (running) {
        // Type-ahead while a command runs: keep the lines, echo nothing until the prompt returns.
        pending.push(...r.lines);
        return;
      }
      if (r.echo) term.write(r.echo);
      if (r.interrupt) {
        shell.interrupt();
        editor.setPrompt(promptFor(shell));
        term.write(editor.renderPrompt());
      }
      const tab = r.complete;
      if (tab && kubectlRef.current) {
        void kubectlRef.current.complete(tab.line, tab.cursor).then((c) => {
          if (running || editor.line !== tab.line) return;
          const edit = completionEdit(c);
          if (edit.insert) term.write(editor.insert(edit.insert));
          else if (edit.list) term.write('\r\n' + formatCandidates(edit.list, term.cols) + editor.renderPrompt());
        });
      }
      if (r.lines.length) {
        pending.push(...r.lines);
        void drain();
      }
    });
    term.focus();
    props.onReady?.({
      print(text: string) {
        term.write('\x1b[2K\r' + text + editor.renderPrompt());
      },
    });
    return () => {
      sub.dispose();
      ro.disconnect();
      term.dispose();
    };
    // The terminal lives for the page's lifetime; props are read through refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <>
      <div className="terminal-host" ref={host} data-testid="terminal" />
      {editing && (
        <EditModal
          key={editing.text}
          text={editing.text}
          onDone={(text) => {
            editing.resolve(text);
            setEditing(null);
          }}
        />
      )}
    </>
  );
}
