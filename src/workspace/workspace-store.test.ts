import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openWorkspace, resolveWorkspacePath, workspaceKubectlIO } from '.';

let n = 0;
const fresh = (seed?: Record<string, string>) => openWorkspace({ name: `ws-test-${++n}`, seed });

describe('workspace store', () => {
  it('persists files across reopen and seeds only the first open', async () => {
    const name = `ws-test-${++n}`;
    const a = await openWorkspace({ name, seed: { 'hello.yaml': 'kind: Pod\n' } });
    await a.write('web/deploy.yaml', 'kind: Deployment\n');
    await a.remove('hello.yaml');
    a.close();
    const b = await openWorkspace({ name, seed: { 'hello.yaml': 'kind: Pod\n' } });
    expect(b.files()).toEqual(['web/deploy.yaml']);
    expect(b.readText('web/deploy.yaml')).toBe('kind: Deployment\n');
    b.close();
  });

  it('lists implicit and explicit folders, sorted, with sizes', async () => {
    const ws = await fresh();
    await ws.write('b.yaml', 'é');
    await ws.write('web/x.yaml', 'x');
    await ws.mkdir('empty');
    expect(ws.list('')).toEqual([
      { name: 'b.yaml', path: 'b.yaml', dir: false, size: 2 },
      { name: 'empty', path: 'empty', dir: true, size: 0 },
      { name: 'web', path: 'web', dir: true, size: 0 },
    ]);
    expect(ws.list('b.yaml')).toBeUndefined();
    expect(ws.list('nope')).toBeUndefined();
    expect(ws.isDir('web')).toBe(true);
  });

  it('reports shell errors: missing, not empty, is a directory, not a directory, exists', async () => {
    const ws = await fresh();
    await ws.write('web/x.yaml', 'x');
    await expect(ws.remove('nope')).rejects.toThrow('nope: No such file or directory');
    await expect(ws.remove('web')).rejects.toThrow('web: Directory not empty');
    await expect(ws.write('web', 'x')).rejects.toThrow('web: Is a directory');
    await expect(ws.write('web/x.yaml/y', 'x')).rejects.toThrow('Not a directory');
    await expect(ws.mkdir('web')).rejects.toThrow('web: File exists');
    await expect(ws.mkdir('a/b')).rejects.toThrow('a/b: No such file or directory');
    await ws.mkdir('a/b', { parents: true });
    expect(ws.isDir('a')).toBe(true);
    await ws.remove('web', { recursive: true });
    expect(ws.exists('web')).toBe(false);
  });

  it('renames files and folders with their content, and notifies listeners', async () => {
    const ws = await fresh();
    let changes = 0;
    const sub = ws.onChange(() => changes++);
    await ws.write('web/a.yaml', 'a');
    await ws.write('web/sub/b.yaml', 'b');
    await ws.rename('web', 'app');
    await ws.rename('app/a.yaml', 'app/c.yaml');
    expect(ws.files()).toEqual(['app/c.yaml', 'app/sub/b.yaml']);
    await expect(ws.rename('app/c.yaml', 'app/sub/b.yaml')).rejects.toThrow('File exists');
    sub.dispose();
    await ws.write('z', 'z');
    expect(changes).toBe(4);
  });

  it('resolves shell paths', () => {
    expect(resolveWorkspacePath('web', '../x/./y.yaml')).toBe('x/y.yaml');
    expect(resolveWorkspacePath('web', '/a')).toBe('a');
    expect(resolveWorkspacePath('', '../..')).toBe('');
    expect(resolveWorkspacePath('web/sub', '.')).toBe('web/sub');
  });

  it('gives kubectl text, listings and bytes relative to the current folder', async () => {
    const ws = await fresh();
    await ws.write('web/a.yaml', 'a: 1\n');
    const io = workspaceKubectlIO(ws, () => 'web');
    expect(io.readFile!('a.yaml')).toBe('a: 1\n');
    expect(io.listDir!('.')).toEqual([{ name: 'a.yaml', dir: false }]);
    await io.writeFile!('bin', new Uint8Array([0xff, 0, 1]));
    expect(ws.read('web/bin')).toEqual(new Uint8Array([0xff, 0, 1]));
    await io.writeFile!('t.txt', new TextEncoder().encode('hi'));
    expect(ws.read('web/t.txt')).toBe('hi');
    await expect(io.writeFile!('a.yaml/x', new Uint8Array())).rejects.toThrow(/^Not a directory$/);
  });
});
