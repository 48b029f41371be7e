// Builds every images/<name>/ into an OCI image layout at public/images/ (see docs/images.md).
//   images/<name>/image.json: { name, tag, tags?, entrypoint, cmd, env, workingDir, files: { "/path": "src" },
//   symlinks?: { "/path": "target" }, exposedPorts?: ["80/tcp"] } — or an array of such specs.
//   A "src" ending in .c is compiled (with every other file of the folder, and images/include/*, available to
//   #include) into a wasm32-wasip1 module; anything else is copied as is. "../<folder>/<file>" takes the file
//   (and, for .c, its #include context) from another image folder. `tags` publishes the same manifest
//   under several tags. A folder without image.json (images/include) is not an image.
// Output is deterministic (fixed tar mtimes/owners, sorted JSON keys, sorted entries), so digests only change
// when sources do. Compiles are cached in .cache/images/ (see src/node/wasi-toolchain.mjs).
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileC, repoRoot } from '../src/node/wasi-toolchain.mjs';

const IMAGES_DIR = join(repoRoot, 'images');
const INCLUDE_DIR = join(IMAGES_DIR, 'include');
const OUT_DIR = join(repoRoot, 'public', 'images');
const MT = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
};

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** JSON with object keys sorted at every level (arrays keep their order). */
function canonicalJson(value) {
  const sort = (v) => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
    return v;
  };
  return JSON.stringify(sort(value));
}

// ---- tar (ustar), fixed metadata ----
function tarHeader(name, size, mode, type, linkname = '') {
  const h = new Uint8Array(512);
  const enc = new TextEncoder();
  const put = (off, len, str) => h.set(enc.encode(str).subarray(0, len), off);
  const octal = (off, len, n) => put(off, len, n.toString(8).padStart(len - 1, '0') + '\0');
  let prefix = '';
  if (enc.encode(name).length > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (enc.encode(name).length > 100 || enc.encode(prefix).length > 155) throw new Error(`path too long for tar: ${prefix}/${name}`);
  }
  put(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  put(148, 8, '        ');
  put(156, 1, type);
  put(157, 100, linkname);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(265, 32, 'root');
  put(297, 32, 'root');
  put(345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** entries: Map<absolute path, { data: Uint8Array, mode }>; parent directories are added. */
function writeTar(entries) {
  const dirs = new Set();
  for (const path of entries.keys()) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/') + '/');
  }
  const items = [
    ...[...dirs].map((name) => ({ name, dir: true })),
    ...[...entries].map(([path, e]) => ({ name: path.replace(/^\/+/, ''), ...e })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const blocks = [];
  for (const it of items) {
    if (it.dir) {
      blocks.push(tarHeader(it.name, 0, 0o755, '5'));
      continue;
    }
    if (it.link !== undefined) {
      blocks.push(tarHeader(it.name, 0, 0o777, '2', it.link));
      continue;
    }
    blocks.push(tarHeader(it.name, it.data.length, it.mode, '0'));
    blocks.push(it.data);
    const pad = (512 - (it.data.length % 512)) % 512;
    if (pad) blocks.push(new Uint8Array(pad));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}

async function exists(path) {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes via a temporary file and rename, so readers see the old or the new content, never a partial one.
 * An identical file is left untouched (no change event for a running dev server).
 */
async function writeAtomic(path, data) {
  const same = await readFile(path).then(
    (old) => Buffer.compare(old, Buffer.from(data)) === 0,
    () => false,
  );
  if (same) return;
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

// ---- images ----
/** image.json holds one spec, or an array of specs (several images from one folder's sources). */
async function buildImages(dir) {
  const parsed = JSON.parse(await readFile(join(dir, 'image.json'), 'utf8'));
  const built = [];
  for (const spec of Array.isArray(parsed) ? parsed : [parsed]) built.push(await buildImage(dir, spec));
  return built;
}

/** images/include/* and every file of folder but image.json, by name. */
async function readSources(folder) {
  const sources = {};
  for (const f of (await readdir(INCLUDE_DIR).catch(() => [])).sort()) sources[f] = await readFile(join(INCLUDE_DIR, f));
  for (const f of (await readdir(folder)).sort()) if (f !== 'image.json') sources[f] = await readFile(join(folder, f));
  return sources;
}

async function buildImage(dir, spec) {
  const own = await readSources(dir);
  const entries = new Map();
  let reused = true;
  for (const [path, ref] of Object.entries(spec.files ?? {}).sort()) {
    // "../busybox/main.c": a file of another image folder, compiled with that folder's sources (same cache key).
    const cut = ref.lastIndexOf('/');
    const src = ref.slice(cut + 1);
    const sources = cut < 0 ? own : await readSources(join(dir, ref.slice(0, cut)));
    if (!(src in sources)) throw new Error(`${dir}: files["${path}"] names missing source ${ref}`);
    if (src.endsWith('.c')) {
      const others = Object.fromEntries(Object.entries(sources).filter(([n]) => !n.endsWith('.c') || n === src));
      const { wasm, cached } = await compileC(others, { main: src });
      reused &&= cached;
      entries.set(path, { data: wasm, mode: 0o755 });
    } else {
      entries.set(path, { data: new Uint8Array(sources[src]), mode: 0o644 });
    }
  }
  for (const [path, target] of Object.entries(spec.symlinks ?? {}).sort()) entries.set(path, { link: target });
  const layer = writeTar(entries);
  const layerDigest = `sha256:${sha256(layer)}`;
  const config = Buffer.from(
    canonicalJson({
      architecture: 'wasm',
      os: 'wasip1',
      created: '1970-01-01T00:00:00Z',
      config: {
        Entrypoint: spec.entrypoint ?? [],
        Cmd: spec.cmd ?? [],
        Env: spec.env ?? [],
        WorkingDir: spec.workingDir ?? '/',
        ...(spec.exposedPorts ? { ExposedPorts: Object.fromEntries(spec.exposedPorts.map((p) => [p, {}])) } : {}),
      },
      rootfs: { type: 'layers', diff_ids: [layerDigest] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: 'tabernetes build-images' }],
    }),
  );
  const configDigest = `sha256:${sha256(config)}`;
  const manifest = Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: MT.manifest,
      config: { mediaType: MT.config, digest: configDigest, size: config.length },
      layers: [{ mediaType: MT.layer, digest: layerDigest, size: layer.length }],
    }),
  );
  const manifestDigest = `sha256:${sha256(manifest)}`;
  const blobs = [
    [layerDigest, layer],
    [configDigest, config],
    [manifestDigest, manifest],
  ];
  const tags = spec.tags ?? [spec.tag];
  const descriptors = tags.map((tag) => ({
    mediaType: MT.manifest,
    digest: manifestDigest,
    size: manifest.length,
    platform: { architecture: 'wasm', os: 'wasip1' },
    annotations: { 'io.containerd.image.name': `${spec.name}:${tag}`, 'org.opencontainers.image.ref.name': tag },
  }));
  return { ref: tags.map((t) => `${spec.name}:${t}`).join(', '), blobs, descriptor: descriptors[0], descriptors, reused };
}

async function main() {
  const t0 = performance.now();
  const names = [];
  for (const d of await readdir(IMAGES_DIR, { withFileTypes: true })) if (d.isDirectory() && (await exists(join(IMAGES_DIR, d.name, 'image.json')))) names.push(d.name);
  names.sort();
  const built = [];
  for (const name of names) {
    const t = performance.now();
    for (const img of await buildImages(join(IMAGES_DIR, name))) {
      built.push(img);
      const digest = img.descriptor.digest.slice(7, 19);
      console.log(`${img.reused ? 'reused' : 'built '} ${img.ref} (${digest}) in ${Math.round(performance.now() - t)}ms`);
    }
  }
  // Safe while other processes read the layout (parallel test workers, a dev server): blobs are
  // content-addressed and written only when missing, index.json is replaced atomically, and only blobs
  // the new index no longer references are removed afterwards.
  const blobDir = join(OUT_DIR, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  const keep = new Set();
  for (const img of built) {
    for (const [digest, bytes] of img.blobs) {
      const hex = digest.slice(7);
      keep.add(hex);
      if (!(await exists(join(blobDir, hex)))) await writeAtomic(join(blobDir, hex), bytes);
    }
  }
  await writeAtomic(join(OUT_DIR, 'oci-layout'), canonicalJson({ imageLayoutVersion: '1.0.0' }));
  const index = { schemaVersion: 2, mediaType: MT.index, manifests: built.flatMap((b) => b.descriptors) };
  await writeAtomic(join(OUT_DIR, 'index.json'), canonicalJson(index));
  for (const f of await readdir(blobDir)) if (!keep.has(f) && !f.endsWith('.tmp')) await rm(join(blobDir, f), { force: true });
  console.log(`${built.length} images in public/images (${Math.round(performance.now() - t0)}ms)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
