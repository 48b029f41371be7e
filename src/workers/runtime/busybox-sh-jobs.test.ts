import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSh as sh } from '../../../test/busybox-sh-fixture';
import { ensureImagesBuilt } from '../../node/ensure-images-built';

// busybox sh (images/busybox/sh-subshell.h, sh-jobs.h) through the real wasm image: subshells, backticks,
// background jobs, wait, jobs, kill, and read loops, with busybox ash 1.36's texts.
beforeAll(() => ensureImagesBuilt(), 180_000);

describe('busybox sh subshells and command substitution', () => {
  it('( … ) has its own variables and cwd; exit ends only the subshell, giving its status', async () => {
    const r = await sh('x=1; (x=2; cd /tmp; echo "in $x $(pwd)"); echo "out $x $(pwd)"; (exit 3); echo rc=$?; f() { echo fn; }; (f); (g() { :; }); g');
    expect(r).toEqual({ out: 'in 2 /tmp\nout 1 /\nrc=3\nfn\nsh: g: not found', exitCode: 127 });
  });

  it('$(…) is a subshell too: cd and exit do not leak, $? is its status; an EXIT trap inside runs at its end', async () => {
    const r = await sh('y=$(exit 4); echo rc=$?; z=$(cd /tmp; echo in); pwd; echo $z; (trap "echo bye" EXIT; echo sub); echo after');
    expect(r).toEqual({ out: 'rc=4\n/\nin\nsub\nbye\nafter', exitCode: 0 });
  });

  it('backticks: splitting, inside double quotes, escaped nesting', async () => {
    const r = await sh('echo `echo a   b` "`echo "c  d"`"; x=`false || echo no`; echo $x; echo `echo \\`echo nested\\``');
    expect(r).toEqual({ out: 'a b c  d\nno\nnested', exitCode: 0 });
  });

  it('syntax errors as ash: ( ), a stray ), an unclosed (', async () => {
    expect(await sh('( )')).toEqual({ out: 'sh: syntax error: unexpected ")"', exitCode: 2 });
    expect(await sh('echo hi )')).toEqual({ out: 'sh: syntax error: unexpected ")"', exitCode: 2 });
    expect(await sh('(echo hi')).toEqual({ out: 'sh: syntax error: unexpected end of file (expecting ")")', exitCode: 2 });
  });

  it('set -e exits on a failing subshell; set -x traces inside it', async () => {
    expect(await sh('set -e; (false); echo no')).toEqual({ out: '', exitCode: 1 });
    expect(await sh('set -x; (echo a); echo b')).toEqual({ out: '+ echo a\na\n+ echo b\nb', exitCode: 0 });
  });

  it('while read over a file and at the end of a pipeline (whose variables stay in its subshell)', async () => {
    const r = await sh('(echo a; echo b) | while read l; do echo "got $l"; done; echo 1 > /tmp/f; echo 2 >> /tmp/f; while read line; do echo "L=$line"; done < /tmp/f; echo x | while read v; do n=$v; done; echo "n=[$n]"');
    expect(r).toEqual({ out: 'got a\ngot b\nL=1\nL=2\nn=[]', exitCode: 0 });
  });
});

describe('busybox sh background jobs', () => {
  it('cmd & sets $!; wait PID gives its exit status', async () => {
    const r = await sh('sleep 0 & echo pid=$! ${!}; wait $!; echo rc=$?; false & wait $!; echo rc=$?; sh -c "exit 7" & wait; echo all=$?');
    expect(r).toEqual({ out: 'pid=2 2\nrc=0\nrc=1\nall=0', exitCode: 0 });
  });

  it('jobs lists running jobs; kill %N / kill $! end them (wait gives 143); unknown pids', async () => {
    const r = await sh('sleep 5 & sleep 7 & jobs; kill %1; wait %1; echo rc=$?; kill $!; wait $!; echo rc=$?; jobs; kill 999; echo rc=$?; wait 999; echo rc=$?');
    expect(r).toEqual({
      out: '[1]-  Running                    sleep 5\n[2]+  Running                    sleep 7\nrc=143\nrc=143\nsh: can\'t kill pid 999: No such process\nrc=1\nrc=127',
      exitCode: 0,
    });
  });

  it('kill $$ in the main shell signals pid 1: a trap runs after the kill, trap "" ignores, untrapped and KILL are ignored', async () => {
    expect(await sh('trap "echo got TERM; exit 0" TERM; echo started; kill -TERM $$; echo never')).toEqual({ out: 'started\ngot TERM', exitCode: 0 });
    expect(await sh('trap "echo usr1" USR1; kill -USR1 $$; echo after; kill -0 $$; echo rc=$?')).toEqual({ out: 'usr1\nafter\nrc=0', exitCode: 0 });
    expect(await sh('trap "" TERM; kill $$; echo ignored')).toEqual({ out: 'ignored', exitCode: 0 });
    // The container's init gets from inside its pid namespace only the signals it handles; never SIGKILL.
    expect(await sh('trap "echo bye" EXIT; echo $$; kill $$; echo alive; kill -9 1; echo still')).toEqual({ out: '1\nalive\nstill\nbye', exitCode: 0 });
    expect(await sh('trap "echo t" TERM; kill -9 $$; echo never; kill -STOP 1; echo rc=$?')).toEqual({ out: 'never\nrc=0', exitCode: 0 });
    // Every Linux signal name (kill -l lists 1-31).
    expect(await sh('trap "echo chld" CHLD; trap "" SIGWINCH; kill -CHLD $$; kill -s WINCH 1; trap; kill -l | tail -n 1')).toEqual({ out: "chld\ntrap -- 'echo chld' CHLD\ntrap -- '' WINCH\n31) SYS", exitCode: 0 });
  });

  it('a child shell has its own pid: kill $$ ends it with 128+sig; its kill 1 reaches the main shell (pid 1)', async () => {
    expect(await sh('sh -c \'echo child=$$; kill $$; echo never\'; echo rc=$?; sh -c \'trap "echo t; exit 5" USR1; kill -USR1 $$; echo x\'; echo rc=$?')).toEqual({ out: 'child=2\nrc=143\nt\nrc=5', exitCode: 0 });
    expect(await sh('trap "echo main got TERM" TERM; sh -c "kill 1; echo child done"; echo rc=$?')).toEqual({ out: 'child done\nmain got TERM\nrc=0', exitCode: 0 });
    expect(await sh('sh -c "kill -9 1; kill 1; echo child alive"; echo main alive; kill -l | head -n 1; kill 1 2>&1')).toEqual({ out: 'child alive\nmain alive\n1) HUP', exitCode: 0 });
    // Signals whose default action is to ignore (or stop) do not end a child shell.
    expect(await sh('sh -c \'kill -CHLD $$; kill -WINCH $$; echo alive; kill -USR2 $$\'; echo rc=$?')).toEqual({ out: 'alive\nrc=140', exitCode: 0 });
  });

  it('a compound background job runs as a child sh with its output; wait waits for all', async () => {
    const r = await sh('x=v; { echo "g $x $1"; sleep 0; } & echo started; wait; echo done', 'busybox');
    expect(r).toEqual({ out: 'started\ng v \ndone', exitCode: 0 });
  });
});
