#!/usr/bin/env python3
"""Records kubectl 1.32's `kubectl create … --help` texts into create-help.json (served verbatim by our
create commands). Run by hand: python3 src/kubectl/commands/generators/capture-create-help.py"""
import json, os, subprocess

KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
HERE = os.path.dirname(os.path.abspath(__file__))
SUBS = ('clusterrole clusterrolebinding configmap cronjob deployment ingress job namespace poddisruptionbudget '
        'priorityclass quota role rolebinding secret service serviceaccount token').split()
CMDS = (['create'] + ['create ' + c for c in SUBS] + ['create secret ' + c for c in ('docker-registry', 'generic', 'tls')]
        + ['create service ' + c for c in ('clusterip', 'externalname', 'loadbalancer', 'nodeport')])

def main():
  out = {}
  for cmd in CMDS:
    p = subprocess.run([KUBECTL] + cmd.split() + ['--help'], capture_output=True, text=True, check=True, env={**os.environ, 'KUBECONFIG': '/dev/null'})
    out[cmd] = p.stdout
  with open(os.path.join(HERE, 'create-help.json'), 'w') as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write('\n')

main()
