// Real CPU of the benchmark's browser, from /proc (Linux only): what a shared machine's load does not change
// much, unlike wall time. procCpuSnapshot() reads every process descendant of this Node process (Chromium's
// browser, renderer, GPU and utility processes) and each of their live threads; procCpuDiff(before, after)
// gives CPU ms spent between the two: per process (utime + stime of the whole thread group, dead threads
// included; 10 ms ticks) and per thread still alive at `after` (schedstat's on-CPU ns; a thread started in
// between counts from 0). `exitedThreadsMs` is the process total minus its live threads: threads that ended
// in between (terminated Workers, for instance). Elsewhere than Linux both return null.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // CLK_TCK 100

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** [comm, fields after comm] of a /proc stat line (comm may hold spaces and parentheses). */
function parseStat(text) {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  return [text.slice(open + 1, close), text.slice(close + 2).split(' ')];
}

function children() {
  const byParent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = read(`/proc/${d}/stat`);
    if (!s) continue;
    const [, f] = parseStat(s);
    const ppid = Number(f[1]);
    if (!byParent.has(ppid)) byParent.set(ppid, []);
    byParent.get(ppid).push(Number(d));
  }
  return byParent;
}

function processType(pid) {
  const cmd = (read(`/proc/${pid}/cmdline`) ?? '').split(/[\0 ]/);
  return cmd.find((a) => a.startsWith('--type='))?.slice(7) ?? (/chrom/i.test(cmd[0] ?? '') ? 'browser' : (cmd[0] ?? '').split('/').pop());
}

/** CPU of every descendant process of rootPid (default: this process) and of their live threads; null off Linux. */
export function procCpuSnapshot(rootPid = process.pid) {
  if (!existsSync('/proc/self/stat')) return null;
  const byParent = children();
  const processes = [];
  const stack = [...(byParent.get(rootPid) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(byParent.get(pid) ?? []));
    const s = read(`/proc/${pid}/stat`);
    if (!s) continue;
    const [, f] = parseStat(s);
    const cpuMs = (Number(f[11]) + Number(f[12])) * TICK_MS;
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`) ?? '')?.[1] ?? 0);
    const threads = [];
    for (const tid of readdirSync(`/proc/${pid}/task`, { throwIfNoEntry: false }) ?? []) {
      const comm = (read(`/proc/${pid}/task/${tid}/comm`) ?? '').trim();
      const ns = Number((read(`/proc/${pid}/task/${tid}/schedstat`) ?? '0').split(' ')[0]);
      threads.push({ tid: Number(tid), comm, cpuMs: ns / 1e6 });
    }
    processes.push({ pid, type: processType(pid), cpuMs, rssKiB, threads });
  }
  return { at: performance.now(), processes };
}

/** CPU ms spent between two snapshots (see the header); null when either is null. */
export function procCpuDiff(before, after) {
  if (!before || !after) return null;
  const prev = new Map(before.processes.map((p) => [p.pid, p]));
  const processes = after.processes.map((p) => {
    const b = prev.get(p.pid);
    const bThreads = new Map((b?.threads ?? []).map((t) => [t.tid, t.cpuMs]));
    const threads = p.threads.map((t) => ({ tid: t.tid, comm: t.comm, cpuMs: Math.round((t.cpuMs - (bThreads.get(t.tid) ?? 0)) * 10) / 10, new: !bThreads.has(t.tid) })).filter((t) => t.cpuMs > 0);
    const cpuMs = p.cpuMs - (b?.cpuMs ?? 0);
    const live = threads.reduce((a, t) => a + t.cpuMs, 0);
    return { pid: p.pid, type: p.type, cpuMs, rssKiB: p.rssKiB, rssDeltaKiB: p.rssKiB - (b?.rssKiB ?? 0), exitedThreadsMs: Math.max(0, Math.round(cpuMs - live)), threads: threads.sort((x, y) => y.cpuMs - x.cpuMs) };
  });
  const byComm = {};
  for (const p of processes) for (const t of p.threads) byComm[`${p.type}/${t.comm}`] = Math.round((byComm[`${p.type}/${t.comm}`] ?? 0) + t.cpuMs);
  return { wallMs: Math.round(after.at - before.at), totalCpuMs: processes.reduce((a, p) => a + p.cpuMs, 0), processes, byComm };
}
