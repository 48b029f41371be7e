import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

describe('bad input gets kubectl’s own error and changes nothing', () => {
  const cluster = clusterPageFixture();

  it('an unknown kind', async () => {
    const r = await kubectl(cluster.page, 'apply -f -', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n',
    );
  });

  it('an invalid object name, with the field path', async () => {
    const r = await kubectl(cluster.page, 'apply -f -', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n    image: hello-world\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^The Pod "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.', and must start and end with an alphanumeric character/,
    );
    expect((await kubectl(cluster.page, 'get pods')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('a missing container image', async () => {
    const r = await kubectl(cluster.page, 'apply -f -', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimage\nspec:\n  containers:\n  - name: c\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('spec.containers[0].image: Required value');
  });

  it('a multi-document file with one broken document applies nothing', async () => {
    const good = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n  - name: c\n    image: hello-world\n';
    const r = await kubectl(cluster.page, 'apply -f -', `${good}---\nkind: [\n`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+, column \d+: /);
    expect((await kubectl(cluster.page, 'get pod good')).exitCode).toBe(1);
  });

  it('an unknown image ends in ErrImagePull, then ImagePullBackOff, with kubelet’s words', async () => {
    const r = await kubectl(cluster.page, 'apply -f -', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: nope\nspec:\n  containers:\n  - name: c\n    image: nope\n');
    expect(r.stdout).toBe('pod/nope created\n');
    await waitForKubectl(cluster.page, 'get pod nope', (x) => /nope\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0/.test(x.stdout));
    const d = await waitForKubectl(cluster.page, 'describe pod nope', (x) => /Warning\s+Failed\s+\S+\s+kubelet\s+Error: ErrImagePull/.test(x.stdout));
    expect(d.stdout).toMatch(/Failed to pull image "nope": .*docker\.io\/library\/nope:latest: not found/);
    expect(d.stdout).toMatch(/State:\s+Waiting\n\s+Reason:\s+(ErrImagePull|ImagePullBackOff)/);
  });
});
