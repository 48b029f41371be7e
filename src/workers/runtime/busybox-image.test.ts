import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSh } from '../../../test/busybox-sh-fixture';
import { ensureImagesBuilt } from '../../node/ensure-images-built';

// Behaviour of the busybox image (images/busybox): its sh and applets, run as a container's command.
beforeAll(() => ensureImagesBuilt(), 180_000);

const sh = runSh;

describe('busybox image', () => {
  it('pipes between applets: echo hi | wc -c', async () => {
    expect(await sh('echo hi | wc -c')).toEqual({ out: '3', exitCode: 0 });
  });

  it('&&, ||, ;, exit codes and $?', async () => {
    expect(await sh('false || echo a; true && echo b; false; echo "rc=$?"; exit 3')).toEqual({ out: 'a\nb\nrc=1', exitCode: 3 });
  });

  it('variables, quoting, export to children, $(...)', async () => {
    const r = await sh(`X='a  b'; echo $X "$X"; export Y=1; printenv Y; Z=$(echo hi | wc -c); echo "z=$Z"; echo '$X' \\$X`);
    expect(r.out).toBe('a b a  b\n1\nz=3\n$X $X');
  });

  it('redirections, files and cd', async () => {
    const r = await sh('mkdir -p /tmp/d && cd /tmp/d && echo one > f && echo two >> f && cat f | wc -l && pwd && ls && cat < f 2>&1 && ls /nope 2>/dev/null || echo missing');
    expect(r.out).toBe('2\n/tmp/d\nf\none\ntwo\nmissing');
  });

  it('if/for/while, test and seq', async () => {
    const r = await sh('for i in $(seq 3); do if [ $i -eq 2 ]; then echo two; else echo $i; fi; done; n=0; while [ $n -lt 3 ]; do n=$(seq 0 $n | wc -l); echo n=$n; done; until true; do echo never; done');
    expect(r.out).toBe('1\ntwo\n3\nn=1\nn=2\nn=3');
  });

  it('unknown commands exit 127; grep, head, tail, yes | head', async () => {
    expect(await sh('nope')).toMatchObject({ out: 'sh: nope: not found', exitCode: 127 });
    expect((await sh('seq 10 | grep 1 | tail -n 1; yes | head -n 2; echo abc | grep -v b; echo rc=$?')).out).toBe('10\ny\ny\nrc=1');
  });

  it('busybox --help names the Tabernetes WASI build; the 1.36 tag resolves', async () => {
    expect((await sh('busybox --help | head -n 1', 'busybox:1.36')).out).toBe('BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.');
  });
});

describe('busybox sh', () => {
  it('case … esac: globs, alternatives, no match', async () => {
    const r = await sh('for f in a.c b.txt README; do case $f in *.c) echo "$f: c";; *.txt|*.md) echo "$f: text";; *) echo "$f: other";; esac; done; case x in y) echo no;; esac; echo rc=$?');
    expect(r).toEqual({ out: 'a.c: c\nb.txt: text\nREADME: other\nrc=0', exitCode: 0 });
  });

  it('functions: $1 $# $@, local, return, in pipelines', async () => {
    const r = await sh('v=out; f() { echo "n=$# 1=$1 all=$@"; local v=in; echo "v=$v"; return 3; }; f a "b c"; echo "rc=$? v=$v"; g() { wc -l; }; { echo 1; echo 2; } | g');
    expect(r).toEqual({ out: 'n=2 1=a all=a b c\nv=in\nrc=3 v=out\n2', exitCode: 0 });
  });

  it('arithmetic $((…)): operators, precedence, variables, divide by zero', async () => {
    expect(await sh('i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo $i $((7/2)) $((7%3)) $((2*(3+4))) $((3>2)) $((1==2)) $((-5+1)) $((i*i-1))')).toEqual({ out: '5 3 1 14 1 0 -4 24', exitCode: 0 });
    expect(await sh('i=1; echo $((i++)) $i $((i+=5)) $((j=3*2)) $j $((i--)) $i')).toEqual({ out: '1 2 7 6 6 7 6', exitCode: 0 });
    expect(await sh('echo $((1/0)); echo after')).toEqual({ out: 'sh: divide by zero', exitCode: 2 });
  });

  it('globbing against the filesystem; no match stays literal; quotes disable it', async () => {
    const r = await sh('mkdir -p /tmp/g && cd /tmp/g && touch b.txt a.txt c.log && echo *.txt; echo ?.log; echo [ab].txt; echo *.none; echo "*.txt" \'?.log\'; echo /tmp/g/*.log');
    expect(r).toEqual({ out: 'a.txt b.txt\nc.log\na.txt b.txt\n*.none\n*.txt ?.log\n/tmp/g/c.log', exitCode: 0 });
  });

  it('trap … EXIT runs on exit, keeps the exit code; trap lists traps', async () => {
    expect(await sh('trap "echo bye" EXIT; trap; echo hi; exit 4')).toEqual({ out: "trap -- 'echo bye' EXIT\nhi\nbye", exitCode: 4 });
  });

  it('here-documents: <<EOF expands, <<-EOF strips tabs, quoted delimiter is literal', async () => {
    const r = await sh('X=1; cat <<EOF\nx=$X $((X+1))\n  kept\nEOF\ncat <<-END\n\tx=$X\n\tEND\ncat <<"Q"\n$X `q`\nQ\nwc -l <<E\na\nb\nE');
    expect(r).toEqual({ out: 'x=1 2\n  kept\nx=1\n$X `q`\n2', exitCode: 0 });
  });

  it('${…} operators: :- := :+ :? # ## % %% and ${#V}', async () => {
    const r = await sh('unset U; E=; echo ${U:-def} ${E:-empty} ${E-unset} ${U:=set} $U ${U:+alt}; P=/a/b/c.tar.gz; echo ${#P} ${P#*/} ${P##*/} ${P%.*} ${P%%.*}; echo ${Z:?missing}; echo no');
    expect(r).toEqual({ out: 'def empty set set alt\n13 a/b/c.tar.gz c.tar.gz /a/b/c.tar /a/b/c\nsh: Z: missing', exitCode: 2 });
  });

  it('read with IFS, -r and the last name taking the rest; while read … done < file', async () => {
    const r = await sh('echo "a:b:c:d" | { IFS=: read x y z; echo "$y|$z|$x"; }; { echo l1; echo "  l2  x "; echo -n l3; } > /tmp/f; while read line; do echo "<$line>"; done < /tmp/f; echo "last=$line"; echo "a\\\\b" | { read -r v; echo $v; }; read q < /dev/null; echo rc=$?');
    expect(r).toEqual({ out: 'b|c:d|a\n<l1>\n<l2  x>\nlast=l3\na\\b\nrc=1', exitCode: 0 });
  });

  it('shift and set --', async () => {
    expect(await sh('set -- a b c; echo $# $1; shift; echo $# $@; shift 2; echo $#; shift; echo rc=$?')).toEqual({ out: '3 a\n2 b c\n0\nrc=1', exitCode: 0 });
  });

  it('set -e stops at a failing command outside conditions; set -x traces', async () => {
    expect(await sh('set -e; if false; then :; fi; false || echo ok; ! true; false; echo never')).toEqual({ out: 'ok', exitCode: 1 });
    expect(await sh('set -x; X=1; echo "a b" $X')).toEqual({ out: '+ X=1\n+ echo a b 1\na b 1', exitCode: 0 });
  });

  it('syntax errors use ash\'s texts and exit 2', async () => {
    expect(await sh('fi')).toEqual({ out: 'sh: syntax error: unexpected "fi"', exitCode: 2 });
    expect(await sh('case a in a) echo;; ;; esac')).toEqual({ out: 'sh: syntax error: unexpected ";;"', exitCode: 2 });
    expect(await sh('if true; then echo x')).toEqual({ out: 'sh: syntax error: unexpected end of file (expecting "fi")', exitCode: 2 });
    expect(await sh('for i in 1; echo')).toEqual({ out: 'sh: syntax error: unexpected word (expecting "do")', exitCode: 2 });
    expect(await sh('echo >\necho')).toEqual({ out: 'sh: syntax error: unexpected newline', exitCode: 2 });
  });
});
