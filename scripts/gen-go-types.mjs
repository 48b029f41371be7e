#!/usr/bin/env node
// Dev-time generator (run by hand, never in CI): reads the Go type declarations of k8s.io/api and
// k8s.io/apimachinery at a tag and writes the schema of every type reachable from core/v1 PodTemplateSpec to
// src/workers/controller-manager/go-hash/pod-template-types.ts (only derived field lists, no k8s code).
//
//   git --git-dir=/work/.mirror/kubernetes+api/repo archive v0.32.1 core/v1 | tar -x -C /tmp/api
//   git --git-dir=/work/.mirror/kubernetes+apimachinery/repo archive v0.32.1 pkg | tar -x -C /tmp/apimachinery
//   node scripts/gen-go-types.mjs /tmp/api /tmp/apimachinery [--go /tmp/oracle]
//
// --go <dir> also writes Go declarations of the same types (GOPATH layout, packages named as in k8s) for a
// throwaway spew oracle; those stay outside the repo.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [apiDir, amDir, ...rest] = process.argv.slice(2);
if (!apiDir || !amDir) throw new Error('usage: gen-go-types.mjs <k8s.io/api dir> <k8s.io/apimachinery dir> [--go <dir>]');
const goOut = rest[0] === '--go' ? rest[1] : undefined;

/** Package key → [Go package name (what reflect prints), import path, source files]. */
const PKGS = {
  core: ['v1', 'k8s.io/api/core/v1', [join(apiDir, 'core/v1/types.go')]],
  meta: ['v1', 'k8s.io/apimachinery/pkg/apis/meta/v1', ['types.go', 'time.go', 'micro_time.go', 'duration.go'].map((f) => join(amDir, 'pkg/apis/meta/v1', f))],
  resource: ['resource', 'k8s.io/apimachinery/pkg/api/resource', ['quantity.go', 'amount.go'].map((f) => join(amDir, 'pkg/api/resource', f))],
  intstr: ['intstr', 'k8s.io/apimachinery/pkg/util/intstr', [join(amDir, 'pkg/util/intstr/intstr.go')]],
  types: ['types', 'k8s.io/apimachinery/pkg/types', [join(amDir, 'pkg/types/uid.go')]],
};
const PATH_TO_KEY = Object.fromEntries(Object.entries(PKGS).map(([k, [, p]]) => [p, k]));
PATH_TO_KEY['gopkg.in/inf.v0'] = 'inf';
PATH_TO_KEY.time = 'time';
PATH_TO_KEY['math/big'] = 'big';
/** Standard-library / third-party types spew reaches, declared by hand (Go 1.23 layout). */
const BUILTIN = {
  'time.Time': { struct: [['wall', 'uint64'], ['ext', 'int64'], ['loc', '*time.Location']] },
  'time.Location': { opaque: true },
  'inf.Dec': { struct: [['unscaled', 'big.Int'], ['scale', 'inf.Scale']] },
  'inf.Scale': { basic: 'int32' },
  'big.Int': { struct: [['neg', 'bool'], ['abs', 'big.nat']] },
  'big.nat': { basic: '[]big.Word' },
  'big.Word': { basic: 'uint' },
};
const BASIC = new Set(['string', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64', 'byte']);

const decls = {}; // "pkg.Name" → { struct: [[name, type, json?, omitempty?, inline?]] } | { basic: typeExpr }
for (const [key, [, , files]] of Object.entries(PKGS)) {
  for (const file of files) {
    let src;
    try {
      src = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    src = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
    const aliases = {};
    for (const m of src.matchAll(/^\s*(\w+\s+)?"([^"]+)"\s*$/gm)) {
      const path = m[2];
      const k = PATH_TO_KEY[path];
      if (k) aliases[(m[1] ?? '').trim() || path.split('/').pop().replace(/\.v\d+$/, '')] = k;
    }
    const qualify = (t) =>
      t.replace(/([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?/g, (all, a, b) => {
        if (b) return `${aliases[a] ?? a}.${b}`;
        if (BASIC.has(a) || a === 'map') return a === 'byte' ? 'uint8' : a;
        return `${key}.${a}`;
      });
    for (const m of src.matchAll(/^type\s+(\w+)\s+struct\s*\{/gm)) {
      let depth = 1;
      let i = m.index + m[0].length;
      const start = i;
      while (depth && i < src.length) {
        if (src[i] === '{') depth++;
        else if (src[i] === '}') depth--;
        i++;
      }
      const fields = [];
      for (const raw of src.slice(start, i - 1).split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        const tag = /`([^`]*)`/.exec(line)?.[1] ?? '';
        const body = line.replace(/`[^`]*`/, '').trim();
        const json = /json:"([^"]*)"/.exec(tag)?.[1];
        const [jname, ...opts] = (json ?? '').split(',');
        const parts = body.split(/\s+/);
        let name;
        let type;
        if (parts.length === 1) {
          type = qualify(parts[0]);
          name = parts[0].replace(/^\*/, '').split('.').pop();
        } else {
          name = parts[0];
          type = qualify(parts.slice(1).join(''));
        }
        const entry = [name, type];
        if (json !== undefined || /^[A-Z]/.test(name)) {
          entry.push(json === undefined ? name : jname === '-' && !opts.length ? '-' : jname || (opts.includes('inline') ? '' : name));
          entry.push(opts.includes('omitempty') ? 1 : 0);
          if (opts.includes('inline') || (parts.length === 1 && !jname && json === undefined)) entry.push(1);
        }
        fields.push(entry);
      }
      decls[`${key}.${m[1]}`] = { struct: fields };
    }
    for (const m of src.matchAll(/^type\s+(\w+)\s+(?!struct\b|interface\b|=)([^\s{][^\n{]*)$/gm)) {
      decls[`${key}.${m[1]}`] ??= { basic: qualify(m[2].trim()) };
    }
  }
}
Object.assign(decls, BUILTIN);

// Reachability from PodTemplateSpec: only those types are written.
const out = {};
const visit = (t) => {
  for (const name of t.match(/[a-z]+\.[A-Za-z_]\w*/g) ?? []) {
    if (out[name]) continue;
    const d = decls[name];
    if (!d) throw new Error(`unknown Go type ${name}`);
    out[name] = d;
    if (d.struct) for (const f of d.struct) visit(f[1]);
    if (d.basic) visit(d.basic);
  }
};
visit('core.PodTemplateSpec');
const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
const pkgNames = { ...Object.fromEntries(Object.entries(PKGS).map(([k, [n]]) => [k, n])), time: 'time', inf: 'inf', big: 'big' };

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '../src/workers/controller-manager/go-hash/pod-template-types.ts');
const lines = Object.entries(sorted).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
writeFileSync(
  target,
  `// Generated by scripts/gen-go-types.mjs from k8s.io/api and k8s.io/apimachinery v0.32.1: do not edit.\n` +
    `// Every Go type reachable from core/v1 PodTemplateSpec. A struct lists its fields in declaration order as\n` +
    `// [Go name, type, json name ('' = inline, '-' = skipped), omitempty 0|1, embedded/inline 1?]; a named\n` +
    `// non-struct type gives its underlying type. Type names are "<pkg key>.<Name>"; GO_PKG_NAMES maps a key to the\n` +
    `// package name reflect prints. An opaque type is never printed by value (only as a nil pointer).\n` +
    `import type { GoTypeDecl } from './go-types';\n\n` +
    `export const GO_PKG_NAMES: Record<string, string> = ${JSON.stringify(pkgNames)};\n\n` +
    `export const GO_TYPES: Record<string, GoTypeDecl> = {\n${lines.join('\n')}\n};\n`,
);
console.log(`wrote ${Object.keys(sorted).length} types to ${target}`);

if (goOut) {
  // Go declarations for the oracle: one package per key under <dir>/src/<import path>.
  const goName = (t) => t.replace(/\b([a-z]+)\.([A-Za-z_]\w*)/g, (_, k, n) => (['time', 'big'].includes(k) ? `${k}.${n}` : `${k}pkg.${n}`));
  const byPkg = {};
  for (const [k, v] of Object.entries(sorted)) {
    const [pkg, name] = k.split('.');
    if (!PKGS[pkg] && pkg !== 'inf') continue;
    (byPkg[pkg] ??= []).push([name, v]);
  }
  const paths = { ...Object.fromEntries(Object.entries(PKGS).map(([k, [, p]]) => [k, p])), inf: 'gopkg.in/inf.v0' };
  for (const [pkg, items] of Object.entries(byPkg)) {
    const local = (t) => goName(t).replace(new RegExp(`\\b${pkg}pkg\\.`, 'g'), '');
    const body = items.map(([name, v]) => {
      if (v.basic) return `type ${name} ${local(v.basic)}`;
      const fields = v.struct.map(([n, t, j, o, embedded]) => (embedded ? `\t${local(t)}` : `\t${n} ${local(t)}${j ? ` \`json:"${j}${o ? ',omitempty' : ''}"\`` : ''}`));
      return `type ${name} struct {\n${fields.join('\n')}\n}`;
    });
    const text = body.join('\n\n');
    const imports = Object.keys(paths).filter((k) => k !== pkg && text.includes(`${k}pkg.`)).map((k) => `\t${k}pkg "${paths[k]}"`);
    if (/\btime\./.test(text)) imports.push('\t"time"');
    if (/\bbig\./.test(text)) imports.push('\t"math/big"');
    const dir = join(goOut, 'src', paths[pkg]);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'types.go'), `package ${pkgNames[pkg]}\n\n${imports.length ? `import (\n${imports.join('\n')}\n)\n\n` : ''}${text}\n`);
  }
  console.log(`wrote Go declarations under ${goOut}/src`);
}
