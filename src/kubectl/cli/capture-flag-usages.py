#!/usr/bin/env python3
"""Records kubectl 1.32's local flags per command into flag-usages.json, for `kubectl __complete` (cobra offers
`--flag<TAB>usage`, the usage's first line). Per command path ("get", "create deployment"): [[name, shorthand,
index of the first usage line in "usages", attrs?], …] (attrs: 'l' a slice/array flag, 'r' required) in cobra's (sorted) order, from `--help`'s Options; a flag is required when
`__complete PATH --` offers only the required ones. Run by hand: python3 src/kubectl/cli/capture-flag-usages.py"""
import json, os, re, subprocess

KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
HERE = os.path.dirname(os.path.abspath(__file__))
ENV = {**os.environ, 'KUBECONFIG': '/dev/null'}
SKIP = {'alpha', 'certificate', 'plugin', 'help'}


def run(args):
  return subprocess.run([KUBECTL] + args, capture_output=True, text=True, env=ENV, timeout=30).stdout


def section(text, title):
  m = re.search(r'^' + title + r':\n(.*?)(?:\n\n(?=\S)|\Z)', text, re.S | re.M)
  return m.group(1) if m else ''


def local_flags(path):
  text = run(path + ['--help'])
  flags = []
  for m in re.finditer(r'^ {4}(?:-(\S), )?--([\w-]+)=(.*):\n\t(.*)$', section(text, 'Options'), re.M):
    flags.append([m.group(2), m.group(1) or '', m.group(4).rstrip(), 'l' if m.group(3).startswith('[') else ''])
  subs = [m.group(1) for m in re.finditer(r'^ {2}([a-z][\w-]*) {2,}', section(text, 'Available Commands'), re.M)]
  return flags, subs


def main():
  out = {}
  todo = [[c] for c in run(['__completeNoDesc', '']).split('\n') if c and not c.startswith(':') and c not in SKIP]
  while todo:
    path = todo.pop(0)
    flags, subs = local_flags(path)
    offered = {l.split('\t')[0][2:] for l in run(['__complete'] + path + ['--']).split('\n') if l.startswith('--')}
    # cobra offers only the unset required flags while there are any (then no global flag such as --namespace).
    required = set() if 'namespace' in offered else offered
    rows = [[n, s, u, a + ('r' if n in required else '')] for n, s, u, a in flags]
    out[' '.join(path)] = [r if r[3] else r[:3] for r in rows]
    todo += [path + [s] for s in subs]
  # Usages are shared by many commands: each row holds an index into "usages".
  usages = sorted({r[2] for rows in out.values() for r in rows})
  at = {u: i for i, u in enumerate(usages)}
  commands = {path: [[r[0], r[1], at[r[2]], *r[3:]] for r in rows] for path, rows in sorted(out.items())}
  with open(os.path.join(HERE, 'flag-usages.json'), 'w') as f:
    f.write('{"usages": [\n' + ',\n'.join(json.dumps(u, ensure_ascii=False) for u in usages) + '\n],\n"commands": {\n')
    f.write(',\n'.join(json.dumps(p) + ': ' + json.dumps(rows, separators=(',', ':')) for p, rows in commands.items()) + '\n}}\n')


main()
