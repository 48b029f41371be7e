/* sh background jobs: `cmd &` records a job (its pid in $!); the builtins jobs, wait and kill. Children run
 * on the container's one thread (docs/images.md "Processes"): a background job actually runs when the shell
 * waits for it or for a child spawned after it, so `jobs` shows every job not yet waited for as Running.
 * kill ends a job that has not run yet (tabernetes_process.kill: exit code 128 + signal, as a signalled
 * process), signals pid 1 (the container's main process, maybe this shell) through the host, which treats it
 * as the init of a pid namespace, and signals the shell itself for its own pid $$ otherwise (kill_self);
 * texts as busybox ash 1.36 ("[1]+  Running   ...", "sh: can't kill pid N: No such process"). */
__attribute__((import_module("tabernetes_process"), import_name("kill")))
int __tabernetes_kill(int pid, int sig);

struct job { int id, pid, done, status; char *cmd; };
static struct job jobs[64]; static int njobs;

static struct job *job_by_pid(int pid) {
  for (int i = 0; i < njobs; i++) if (jobs[i].pid == pid) return &jobs[i];
  return 0;
}

/* %N, %% / %+ (the current job), %- (the previous one) or a pid; 0 when there is no such job. */
static struct job *job_by_spec(const char *spec) {
  if (*spec != '%') return job_by_pid(atoi(spec));
  if (!njobs) return 0;
  if (!strcmp(spec, "%%") || !strcmp(spec, "%+") || !spec[1]) return &jobs[njobs - 1];
  if (!strcmp(spec, "%-")) return njobs > 1 ? &jobs[njobs - 2] : 0;
  for (int i = 0; i < njobs; i++) if (jobs[i].id == atoi(spec + 1)) return &jobs[i];
  return 0;
}

static void job_forget(struct job *j) {
  free(j->cmd);
  memmove(j, j + 1, sizeof *j * (njobs - (j - jobs) - 1));
  njobs--;
}

/* Records a started job; ash numbers jobs from 1, reusing numbers only when the table empties. */
static void job_add(int pid, const char *cmd) {
  if (njobs == 64) job_forget(&jobs[0]);
  int id = njobs ? jobs[njobs - 1].id + 1 : 1;
  jobs[njobs++] = (struct job){id, pid, 0, 0, strdup(cmd)};
  g_last_bg = pid;
}

static const char *status_text(int status, char *tmp) {
  static const char *sigs[] = {0, "Hangup", "Interrupt", "Quit", 0, 0, 0, 0, 0, "Killed", 0, 0, 0, 0, 0, "Terminated"};
  if (status > 128 && status - 128 < 16 && sigs[status - 128]) return sigs[status - 128];
  if (!status) return "Done";
  sprintf(tmp, "Done(%d)", status);
  return tmp;
}

/* jobs: one line per job, "[N]+" marking the current job and "[N]-" the previous; finished jobs are
 * listed once, then forgotten. */
static int builtin_jobs(struct io io) {
  for (int i = 0; i < njobs; i++) {
    char tmp[32], head[64];
    struct job *j = &jobs[i];
    int n = snprintf(head, sizeof head, "[%d]%c  %s", j->id, i == njobs - 1 ? '+' : i == njobs - 2 ? '-' : ' ', j->done ? status_text(j->status, tmp) : "Running");
    dprintf(io.out, "%s%*c%s\n", head, 33 - n > 0 ? 33 - n : 1, ' ', j->cmd);
  }
  for (int i = njobs - 1; i >= 0; i--) if (jobs[i].done) job_forget(&jobs[i]);
  return 0;
}

/* Waits for (runs) one job; returns its exit status and forgets it. */
static int job_wait(struct job *j) {
  int st = 0;
  if (!j->done) { if (waitpid(j->pid, &st, 0) > 0) j->status = WEXITSTATUS(st); j->done = 1; }
  int status = j->status;
  job_forget(j);
  return status;
}

/* wait [pid|%job]...: no operand waits for every job and gives 0; else the last operand's status, 127 for
 * a pid that is not a job of this shell. */
static int builtin_wait(char **argv, int argc, struct io io) {
  if (argc == 1) { while (njobs) job_wait(&jobs[0]); return 0; }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    struct job *j = job_by_spec(argv[i]);
    if (j) status = job_wait(j);
    else if (argv[i][0] == '%') { dprintf(io.err, "sh: wait: %s: no such job\n", argv[i]); status = 127; }
    else status = 127;
  }
  return status;
}

/* kill of the shell's own pid ($$) when it is not pid 1 (a child shell, an exec'd one) delivers sig to the
 * shell as the kernel would: a trapped signal runs its trap once the current command ends, an ignored one
 * (trap "") does nothing, any other ends the shell at once with 128 + sig, as a signalled process (no EXIT
 * trap), unless its default action is to ignore it or stop (not done). KILL cannot be trapped or ignored; signal 0
 * only checks that the process exists. */
static void kill_self(int sig) {
  if (!sig) return;
  if (sig != 9 && traps[sig]) { if (*traps[sig]) g_pending_sigs |= 1u << sig; return; }
  // Default action ignore (CHLD CONT URG WINCH), or stop (STOP TSTP TTIN TTOU: no job control here).
  if ((sig >= 17 && sig <= 23) || sig == 28) return;
  _exit(128 + sig);
}

/* Set when busybox runs as the kill applet (main.c): its messages start "kill:" rather than "sh:". */
static int g_kill_applet;

/* kill [-s SIG | -SIG | -N] pid|%job...; kill -l lists the signal names. */
static int builtin_kill(char **argv, int argc, struct io io) {
  int sig = 15, i = 1, rc = 0;
  if (i < argc && !strcmp(argv[i], "-l")) {
    for (int k = 1; k < 32; k++) dprintf(io.out, "%d) %s\n", k, sig_names[k]);
    return 0;
  }
  if (i + 1 < argc && !strcmp(argv[i], "-s")) { sig = sig_number(argv[i + 1]); i += 2; }
  else if (i < argc && argv[i][0] == '-' && argv[i][1]) { sig = sig_number(argv[i] + 1); i++; }
  if (sig < 0) { dprintf(io.err, "sh: kill: bad signal name '%s'\n", argv[i - 1] + (argv[i - 1][0] == '-')); return 1; }
  if (i >= argc) { dprintf(io.err, "kill: usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]\n"); return 1; }
  int self = __tabernetes_getpid();
  for (; i < argc; i++) {
    int pid = argv[i][0] != '%' ? atoi(argv[i]) : 0;
    // pid 1 is signalled by the host, as init from inside its pid namespace (only the signals it handles; never
    // KILL). A host that cannot (a bare WASI host) leaves pid 1 to this shell when it is pid 1.
    if (pid == 1 && __tabernetes_kill(1, sig) == 0) continue;
    if (pid && pid == self) { kill_self(sig); continue; }
    struct job *j = job_by_spec(argv[i]);
    if (!j && argv[i][0] == '%') { dprintf(io.err, "sh: kill: %s: no such job\n", argv[i]); rc = 1; continue; }
    if (!j) { dprintf(io.err, "%s: can't kill pid %s: No such process\n", g_kill_applet ? "kill" : "sh", argv[i]); rc = 1; continue; }
    if (!sig) continue;
    if (__tabernetes_kill(j->pid, sig) == 0 && !j->done) {
      int st = 0;
      if (waitpid(j->pid, &st, 0) > 0) { j->status = WEXITSTATUS(st); j->done = 1; }
    }
  }
  return rc;
}
