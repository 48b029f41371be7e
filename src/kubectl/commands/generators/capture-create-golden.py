#!/usr/bin/env python3
"""Records real kubectl 1.32 output of the client-side `create` generators (no server involved) into
create-golden.json, with the PEM files they read. Run by hand when cases change (needs openssl):
python3 src/kubectl/commands/generators/capture-create-golden.py"""
import json, os, shlex, subprocess

KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
HERE = os.path.dirname(os.path.abspath(__file__))
D = '/tmp/tabernetes-create-golden'
KEYS = [  # file, openssl command creating it (run in D)
  ('tls.key', 'openssl genrsa -out tls.key 1024'),
  ('tls.crt', 'openssl req -x509 -key tls.key -out tls.crt -days 3650 -subj /CN=foo.com'),
  ('tls-pkcs1.key', 'openssl rsa -in tls.key -traditional -out tls-pkcs1.key'),
  ('other-rsa.key', 'openssl genrsa -out other-rsa.key 1024'),
  ('ec.key', 'openssl ecparam -name prime256v1 -genkey -noout -out ec.key'),
  ('ec.crt', 'openssl req -x509 -key ec.key -out ec.crt -days 3650 -subj /CN=ec'),
  ('ec-pkcs8.key', 'openssl pkcs8 -topk8 -nocrypt -in ec.key -out ec-pkcs8.key'),
  ('other.key', 'openssl ecparam -name prime256v1 -genkey -noout -out other.key'),
  ('ec-params.key', 'openssl ecparam -name prime256v1 -genkey -out ec-params.key'),
  ('tls.pub', 'openssl pkey -in tls.key -pubout -out tls.pub'),
]
F = lambda n: f'{D}/{n}'
CASES = [
  'create service loadbalancer lb --tcp=80:8080 --dry-run=client -o yaml',
  'create service loadbalancer lb --tcp=80,443:https -n team --dry-run=client -o json',
  'create service loadbalancer lb --dry-run=client -o yaml',
  'create service loadbalancer lb --tcp=x:80 --dry-run=client',
  'create service loadbalancer lb --tcp=70000 --dry-run=client',
  'create service externalname ext --external-name=bar.com --dry-run=client -o yaml',
  'create service externalname ext --external-name=bar.com --tcp=80 --dry-run=client -o json',
  'create service externalname ext --dry-run=client -o yaml',
  'create service externalname --dry-run=client',
  'create service externalname ext --external-name=Bad_Name --dry-run=client',
  'create svc externalname ext --external-name=a.b --dry-run=client -o name',
  'create service nodeport np --tcp=80:8080,443 --node-port=30080 --dry-run=client -o yaml',
  'create service nodeport np --dry-run=client',
  'create service nodeport np --tcp=80 --node-port=x --dry-run=client',
  'create service clusterip c --tcp=80:x:y --dry-run=client -o yaml',
  f'create secret tls t --cert={F("tls.crt")} --key={F("tls.key")} --dry-run=client -o yaml',
  f'create secret tls t --cert={F("tls.crt")} --key={F("tls-pkcs1.key")} --dry-run=client -o json',
  f'create secret tls t --cert={F("ec.crt")} --key={F("ec.key")} --dry-run=client -o yaml',
  f'create secret tls t --cert={F("ec.crt")} --key={F("ec-pkcs8.key")} --dry-run=client -o name',
  f'create secret tls t --cert={F("tls.crt")} --key={F("tls.key")} --append-hash --dry-run=client -o yaml',
  f'create secret tls t --cert={F("tls.crt")} --key={F("other.key")} --dry-run=client',
  f'create secret tls t --cert={F("tls.crt")} --key={F("other-rsa.key")} --dry-run=client',
  f'create secret tls t --cert={F("ec.crt")} --key={F("other.key")} --dry-run=client',
  f'create secret tls t --cert={F("ec.crt")} --key={F("tls.key")} --dry-run=client',
  f'create secret tls t --cert={F("tls.crt")} --dry-run=client',
  'create secret tls t --dry-run=client',
  f'create secret tls t --cert={F("tls.key")} --key={F("tls.crt")} --dry-run=client',
  f'create secret tls t --cert={F("tls.crt")} --key={F("tls.crt")} --dry-run=client',
  f'create secret tls t --cert={F("junk.txt")} --key={F("tls.key")} --dry-run=client',
  f'create secret tls t --cert={F("tls.crt")} --key={F("junk.txt")} --dry-run=client',
  f'create secret tls t --cert={F("ec-params.key")} --key={F("tls.key")} --dry-run=client',
  f'create secret tls t --cert={F("tls.pub")} --key={F("tls.key")} --dry-run=client',
  f'create secret tls t --cert={F("tls.crt")} --key={F("tls.pub")} --dry-run=client',
  f'create secret tls t --cert={F("ec.crt")} --key={F("ec-params.key")} --dry-run=client',
  f'create secret tls t --cert={F("tls.crt")} --key={F("tls.crt")}{" "}--cert={F("tls.crt")} --dry-run=client -o name',
  f'create secret tls t --cert={F("nope.crt")} --key={F("tls.key")} --dry-run=client',
  f'create secret tls t --cert={F("tls.crt")} --key={F("tls.key")} --type=x --dry-run=client',
  'create secret docker-registry d --docker-server=r.io --docker-username=u --docker-password=p --docker-email=e@x --dry-run=client -o yaml',
  'create secret docker-registry d --docker-username=u --docker-password=p --dry-run=client -o json',
  'create secret docker-registry d --docker-username=u --docker-password=p<&> --docker-server=r.io --append-hash --dry-run=client -o yaml',
  'create secret docker-registry d --docker-username=u --dry-run=client',
  'create secret docker-registry d --docker-username=u --docker-password=p --docker-server= --dry-run=client',
  f'create secret docker-registry d --from-file={F("junk.txt")} --dry-run=client -o yaml',
  f'create secret docker-registry d --from-file=cfg={F("junk.txt")} --docker-username=u --docker-password=p --dry-run=client -o yaml',
  f'create secret docker-registry d --from-file={F("junk.txt")} --from-file={F("tls.crt")} --dry-run=client',
  f'create secret docker-registry d --from-file={F("nope")} --dry-run=client',
  'create secret generic s --from-literal=a=b --append-hash --dry-run=client -o yaml',
  'create configmap c --from-literal=a=b --append-hash --dry-run=client -o yaml',
  'create secret',
  'create secret foo',
  'create quota q --hard=cpu=1,memory=1G,pods=2 --scopes=BestEffort,NotTerminating --dry-run=client -o yaml',
  'create quota q --dry-run=client -o json',
  'create resourcequota q --hard=pods=2 --hard=cpu=500m -n team --dry-run=client -o json',
  'create quota q --hard=cpu --dry-run=client',
  'create quota q --hard=cpu=1=2 --dry-run=client',
  'create quota q --hard=cpu=abc --dry-run=client',
  'create quota --dry-run=client',
  'create priorityclass pc --value=1000 --global-default --description=hi --preemption-policy=Never --dry-run=client -o yaml',
  'create priorityclass pc --dry-run=client -o json',
  'create pc pc --value=-5 --dry-run=client -o json',
  'create priorityclass pc --value=x --dry-run=client',
  'create pdb p --selector=app=web --min-available=50% --dry-run=client -o yaml',
  'create poddisruptionbudget p --selector=app=web --max-unavailable=1 --dry-run=client -o json',
  'create pdb p --selector=app=web,tier --min-available=1 -n team --dry-run=client -o json',
  'create pdb p --selector=app=web --dry-run=client',
  'create pdb p --min-available=1 --dry-run=client',
  'create pdb p --selector=app=web --min-available=1 --max-unavailable=1 --dry-run=client',
  "create pdb p '--selector=a in (c,b),!d' --min-available=1 --dry-run=client -o yaml",
  "create pdb p '--selector=a in b' --min-available=1 --dry-run=client",
  'create pdb p --selector=a!=b --min-available=1 --dry-run=client',
  'create pdb p --selector=a=b --min-available=x --dry-run=client',
  'create pdb p --selector=a=b --max-unavailable=-1 --dry-run=client',
  'create clusterrole cr --non-resource-url=/logs/* --non-resource-url=/healthz --non-resource-url=/logs/* --verb=get,head --dry-run=client -o yaml',
  'create clusterrole cr --aggregation-rule=a=b,c=d --dry-run=client -o yaml',
  'create clusterrole cr --aggregation-rule=a=b --aggregation-rule=x=y --dry-run=client -o json',
  'create clusterrole cr --aggregation-rule=a=b --verb=get --dry-run=client',
  'create clusterrole cr --aggregation-rule=ab --dry-run=client',
  'create clusterrole cr --non-resource-url=logs --verb=get --dry-run=client',
  'create clusterrole cr --non-resource-url=/lo*gs --verb=get --dry-run=client',
  'create clusterrole cr --non-resource-url=/logs --verb=list --dry-run=client',
  'create clusterrole cr --verb=get --dry-run=client',
  'create clusterrole cr --dry-run=client',
  'create job j --from=cronjob/x --image=a --dry-run=client',
  'create job j --dry-run=client',
  'create job j --from=cronjob/x --dry-run=client -- a',
  'create token',
  'create token sa --dry-run=client',
  'create token sa --duration=1.5s',
  'create token sa --duration=-1s',
  'create token sa --duration=x',
  'create token sa --audience=',
  'create token sa --bound-object-name=x',
  'create token sa --bound-object-uid=x',
  'create token sa --bound-object-kind=Deployment --bound-object-name=x',
  'create token sa --bound-object-kind=Pod',
  'create foo',
]

def main():
  os.makedirs(D, exist_ok=True)
  for name, cmd in KEYS:
    if not os.path.exists(F(name)):
      subprocess.run(cmd, shell=True, cwd=D, check=True, capture_output=True)
  with open(F('junk.txt'), 'w') as f:
    f.write('not pem\n')
  files = {}
  for n in sorted(os.listdir(D)):
    with open(F(n)) as f:
      files[F(n)] = f.read()
  out = []
  for case in CASES:
    p = subprocess.run([KUBECTL] + shlex.split(case), capture_output=True, text=True, env={**os.environ, 'KUBECONFIG': '/dev/null'})
    out.append({'args': case, 'stdout': p.stdout, 'stderr': p.stderr, 'code': p.returncode})
  with open(os.path.join(HERE, 'create-golden.json'), 'w') as f:
    json.dump({'files': files, 'cases': out}, f, indent=1)
    f.write('\n')

main()
