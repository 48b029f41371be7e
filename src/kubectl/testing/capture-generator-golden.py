#!/usr/bin/env python3
"""Records real kubectl 1.32 output of client-side generators (no server needed) into
golden/generators.json. Run by hand when cases change: python3 src/kubectl/testing/capture-generator-golden.py"""
import json, os, shlex, subprocess

KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
HERE = os.path.dirname(os.path.abspath(__file__))
CASES = [
  'create deployment web --image=nginx --dry-run=client -o yaml',
  'create deployment web --image=nginx --replicas=3 --port=80 --dry-run=client -o yaml',
  'create deployment web --image=nginx --port=80 --dry-run=client -o json',
  'create deployment web --image=nginx --image=busybox:1.36 -n team --dry-run=client -o yaml',
  'create deployment web --image=nginx --dry-run=client -- sleep 10',
  'create deployment web --image=nginx --dry-run=client -o yaml -- sleep 10',
  'create deployment web --image=nginx --dry-run=client -o name',
  'create deployment --image=nginx --dry-run=client',
  'create deployment web --dry-run=client',
  'create deployment web --image=a --image=b --dry-run=client -- x',
  'create deployment web --image=nginx --replicas=x --dry-run=client',
  'create deploy web --image=nginx --dry-run=client -o jsonpath={.spec.template.spec.containers[0].name}',
  'create service clusterip web --tcp=80:8080 --dry-run=client -o yaml',
  'create service clusterip web --tcp=80 --tcp=443:https --dry-run=client -o yaml',
  'create service clusterip web --clusterip=None --dry-run=client -o yaml',
  'create service clusterip web --dry-run=client -o yaml',
  'create service nodeport web --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml',
  'create svc nodeport web --tcp=80:8080 --dry-run=client -o json',
  'create configmap cfg --from-literal=a=1 --from-literal=b=x --dry-run=client -o yaml',
  'create configmap c --from-literal=a=b=c --from-literal=x= --dry-run=client -o yaml',
  'create cm c --from-literal=z=1 --from-literal=a=2 --dry-run=client -o json',
  'create configmap empty --dry-run=client -o yaml',
  'create configmap c --from-literal=a --dry-run=client -o yaml',
  'create secret generic s --from-literal=user=admin --from-literal=pass=s3cr3t! --dry-run=client -o yaml',
  'create secret generic s --type=kubernetes.io/basic-auth --from-literal=username=u --dry-run=client -o json',
  'create namespace ns1 --dry-run=client -o yaml',
  'create ns ns1 --dry-run=client -o json',
  'create namespace ns1 --dry-run=client',
  'create serviceaccount sa1 --dry-run=client -o yaml',
  'create sa sa1 -n kube-system --dry-run=client -o yaml',
  'create ingress ing --rule=foo.com/bar=svc1:8080 --dry-run=client -o yaml',
  'create ingress ing --class=nginx --rule=foo.com/*=svc1:http --rule=foo.com/api=svc2:80,tls=cert --rule=/x=svc3:81 --dry-run=client -o yaml',
  'create ingress ing --default-backend=def:80 --annotation=a=b --dry-run=client -o json',
  'create rolebinding rb --role=r --user=u --group=g --serviceaccount=default:sa1 --dry-run=client -o yaml',
  'create rolebinding rb --clusterrole=view --user=u --dry-run=client -o json',
  'create clusterrolebinding crb --clusterrole=cr --serviceaccount=default:sa1 --dry-run=client -o yaml',
  'create rolebinding rb --user=u --dry-run=client -o yaml',
  'create foo',
  'label -f /tmp/tabernetes-golden/q.yaml --local app=db',
  'label -f /tmp/tabernetes-golden/q.yaml --local app=web -o name',
  'label -f /tmp/tabernetes-golden/q.yaml --local app=web',
  'label -f /tmp/tabernetes-golden/q.yaml --local app=db tier=be --overwrite -o jsonpath={.metadata.labels}',
  'label -f /tmp/tabernetes-golden/q.yaml --local tier- nope- -o jsonpath={.metadata.labels}',
  'label -f /tmp/tabernetes-golden/q.yaml --local tier-',
  'label -f /tmp/tabernetes-golden/q.yaml --local',
  'label -f /tmp/tabernetes-golden/q.yaml --local a=b=c',
  'label -f /tmp/tabernetes-golden/q.yaml --local x=y -o yaml',
  'label -f /tmp/tabernetes-golden/q.yaml --local a=b a-',
  'label pods',
  'annotate -f /tmp/tabernetes-golden/q.yaml --local note=x',
  'annotate -f /tmp/tabernetes-golden/q.yaml --local note=hi',
  'annotate -f /tmp/tabernetes-golden/q.yaml --local note=x a=b --overwrite -o jsonpath={.metadata.annotations}',
  'annotate -f /tmp/tabernetes-golden/q.yaml --local note- -o jsonpath={.metadata.annotations}',
  'annotate -f /tmp/tabernetes-golden/q.yaml --local a=b=c',
]
FILES = {'/tmp/tabernetes-golden/q.yaml': '''apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: fe}
  annotations: {note: hi}
spec:
  containers: [{name: a, image: nginx}]
'''}

def main():
  for path, text in FILES.items():
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
      f.write(text)
  out = []
  for case in CASES:
    p = subprocess.run([KUBECTL] + shlex.split(case), capture_output=True, text=True, env={**os.environ, 'KUBECONFIG': '/dev/null'})
    out.append({'args': case, 'stdout': p.stdout, 'stderr': p.stderr, 'code': p.returncode})
  with open(os.path.join(HERE, 'golden', 'generators.json'), 'w') as f:
    json.dump({'files': FILES, 'cases': out}, f, indent=1)

main()
