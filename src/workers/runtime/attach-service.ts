import type { AttachService } from './cri';
import type { ExecSessions } from './exec-sessions';
import type { ProcessExit, RunningProcess } from './process-launcher';

export interface AttachTarget {
  proc: RunningProcess;
  /** The container was created with stdin (its process reads a pipe fed by writeStdin). */
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
}

export interface AttachDeps {
  sessions: ExecSessions;
  newId(): string;
  /** The running container's process, or a rejection (RuntimeError NotFound / RunContainerError). */
  runningContainer(id: string): Promise<AttachTarget>;
}

type Tap = (stream: 'stdout' | 'stderr', data: Uint8Array) => void;

/**
 * The runtime's CRI Attach (contract in cri.ts). The runtime calls output() with every chunk its
 * container processes write; each attach session on that container gets its own copy, in order.
 */
export function createAttachService(d: AttachDeps): AttachService & { output(containerId: string, stream: 'stdout' | 'stderr', data: Uint8Array): void } {
  const taps = new Map<string, Set<Tap>>();
  return {
    output(containerId, stream, data) {
      const set = taps.get(containerId);
      if (set) for (const tap of set) tap(stream, data.slice());
    },
    async attach(req) {
      const c = await d.runningContainer(req.containerId);
      const sessionId = d.newId();
      const sinks = d.sessions.sinks(sessionId, c.tty);
      const tap: Tap = (stream, data) => sinks[stream](data);
      const set = taps.get(req.containerId) ?? new Set<Tap>();
      taps.set(req.containerId, set);
      set.add(tap);
      let detach = () => undefined as void;
      let stdinOpen = !!req.stdin && c.stdin;
      const closeStdin = () => {
        if (!stdinOpen) return;
        stdinOpen = false;
        if (c.stdinOnce) c.proc.closeStdin();
      };
      const exited = new Promise<ProcessExit>((resolve) => {
        detach = () => resolve({ exitCode: 0 });
        void c.proc.exited.then((exit) => resolve({ exitCode: exit.exitCode }));
      }).finally(() => {
        set.delete(tap);
        if (!set.size) taps.delete(req.containerId);
      });
      const session: RunningProcess = {
        exited,
        kill: () => {
          closeStdin();
          detach();
        },
        writeStdin: (data) => {
          if (stdinOpen) c.proc.writeStdin(data);
        },
        closeStdin,
        signal: () => undefined,
      };
      d.sessions.attach(sessionId, session);
      return sessionId;
    },
  };
}
