#!/usr/bin/env python3
"""Records real kubectl 1.32 output for -o jsonpath/go-template/custom-columns over a local object
(`kubectl label -f OBJ --local x=y -o FMT` needs no server). Writes golden/printers.json; run by hand
when cases change: python3 src/kubectl/testing/capture-printer-golden.py"""
import json, os, subprocess, tempfile

KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
HERE = os.path.dirname(os.path.abspath(__file__))
OBJ = """apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: fe}
  annotations: {note: "a<b>&c"}
spec:
  containers:
  - name: a
    image: nginx
    ports: [{containerPort: 80, hostPort: 1000000}]
  - name: b
    image: busybox
    args: ["x", "y z"]
"""
CASES = [
  'jsonpath={.metadata.name}', 'jsonpath={.metadata.labels}', 'jsonpath={.spec.containers}',
  'jsonpath={.spec.containers[*].name}', 'jsonpath={.spec.containers[0].ports[0].hostPort}',
  'jsonpath={.spec.containers[-1:].name}', 'jsonpath={.spec.containers[?(@.name=="b")].image}',
  'jsonpath={..image}', 'jsonpath={range .spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}',
  'jsonpath={.spec.containers[0,1].name}', "jsonpath={.metadata.labels['app']}", 'jsonpath={$.kind}',
  'jsonpath={@}', 'jsonpath={.nope}', 'jsonpath=.metadata.name', 'jsonpath=x{.spec.containers[?(@.ports)].name}y',
  'jsonpath={.metadata.annotations.note}', 'jsonpath={.spec.containers[1].args}', 'jsonpath={.spec.containers[5]}',
  'jsonpath={.metadata.name[0]}', 'jsonpath={.a', 'jsonpath={.spec.containers[?(@.name==a)].image}',
  'jsonpath-as-json={.spec.containers[*].name}', 'jsonpath-as-json={.metadata.name}', 'jsonpath-as-json={.nope}',
  'jsonpath-as-json={.spec.containers[0]}',
  'go-template={{.metadata.name}} {{.nope}} {{.metadata.labels}} {{.spec.containers}}',
  'go-template={{range $i, $c := .spec.containers}}{{$i}}={{$c.name}}{{"\\n"}}{{end}}',
  'go-template={{if .metadata.labels.app}}yes{{else}}no{{end}} {{len .spec.containers}} {{printf "%s-%d-%v" .kind 3 .metadata.labels.app}} {{index .metadata.labels "app"}}',
  'go-template={{.metadata.nope.x}}', 'go-template={{range .spec.containers}}{{.name}} {{end}}',
  'go-template={{ .kind | printf "%q" }} {{eq .kind "Pod"}} {{with .metadata}}{{.name}}{{end}} {{- " x" }}',
  'go-template={{range .spec.containers}}{{if eq .name "b"}}{{.image}}{{else if eq .name "a"}}A{{end}}{{end}}',
  'go-template={{$n := .metadata.name}}{{range .spec.containers}}{{$n}}/{{.name}},{{end}}',
  'go-template={{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}',
  'go-template={{(index .spec.containers 0).ports}} {{not .nope}} {{and 1 0}} {{or 0 "x"}}',
  'go-template={{.spec.containers.x}}', 'go-template={{.metadata.name', 'go-template={{foo}}', 'go-template=',
  'custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image',
  'custom-columns=NAME:metadata.name,P:{.spec.containers[0].ports},X:.nope,L:.metadata.labels',
  'custom-columns=NAME', 'custom-columns=',
]

def main():
  with tempfile.NamedTemporaryFile('w', suffix='.yaml', delete=False) as f:
    f.write(OBJ)
  out = []
  for case in CASES:
    p = subprocess.run([KUBECTL, 'label', '-f', f.name, '--local', 'x=y', '-o', case], capture_output=True, text=True,
                       env={**os.environ, 'KUBECONFIG': '/dev/null'})
    out.append({'output': case, 'stdout': p.stdout, 'stderr': p.stderr.replace(f.name, 'OBJ'), 'code': p.returncode})
  os.unlink(f.name)
  with open(os.path.join(HERE, 'golden', 'printers.json'), 'w') as f:
    json.dump({'object': OBJ, 'label': 'x=y', 'cases': out}, f, indent=1)

main()
