import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import goldens from './testdata/kube-1.32-goldens.json';
import { hashControllerRevision, podTemplateForHash, podTemplateHash, templatePatchRaw } from './index';

// Goldens: templates as kube-apiserver 1.32 stores them, and what go-spew 1.1.1 / encoding/json / hash/fnv print and
// hash for the k8s.io/api v0.32.1 structs they decode to (a throwaway Go oracle built from the same type
// declarations, with apimachinery's real ParseQuantity). "nginx" is `kubectl create deployment nginx --image nginx`,
// whose ReplicaSet real clusters name nginx-5869d7778c (like kubernetes-bootcamp-9bc58d867 and hello-node-c74958b5d
// from the kubernetes.io / minikube tutorials, checked below).
interface Golden { name: string; collisionCount?: number; template: PodTemplateSpec; spew: string; hash: string; raw: string; revHash: string }
const cases = goldens as unknown as Golden[];

describe('pod-template-hash (controller.ComputeHash) matches kube 1.32', () => {
  for (const c of cases) {
    it(`${c.name}: dump.ForHash text and hash`, () => {
      expect(podTemplateForHash(c.template)).toBe(c.spew);
      expect(podTemplateHash(c.template, c.collisionCount)).toBe(c.hash);
    });
  }
  it('gives the ReplicaSet names real 1.3x clusters print for tutorial Deployments', () => {
    // `kubectl create deployment <name> --image <image> [-- command]` after kube-apiserver's defaulting.
    const created = (name: string, container: object): PodTemplateSpec => ({
      metadata: { creationTimestamp: null, labels: { app: name } } as unknown as PodTemplateSpec['metadata'],
      spec: {
        containers: [{ name, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {}, ...container }],
        restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
      },
    });
    expect(podTemplateHash(cases.find((c) => c.name === 'nginx')!.template)).toBe('5869d7778c');
    expect(podTemplateHash(created('kubernetes-bootcamp', { image: 'gcr.io/google-samples/kubernetes-bootcamp:v1', imagePullPolicy: 'IfNotPresent' }))).toBe('9bc58d867');
    expect(podTemplateHash(created('hello-node', { name: 'agnhost', image: 'registry.k8s.io/e2e-test-images/agnhost:2.39', command: ['/agnhost', 'netexec', '--http-port=8080'], imagePullPolicy: 'IfNotPresent' }))).toBe('c74958b5d');
  });
});

describe('ControllerRevision data.Raw and HashControllerRevision match kube 1.32', () => {
  for (const c of cases) {
    it(`${c.name}: getPatch bytes and revision hash`, () => {
      const raw = templatePatchRaw(c.template);
      expect(raw).toBe(c.raw);
      expect(hashControllerRevision(raw, c.collisionCount ?? 0)).toBe(c.revHash);
    });
  }
});
