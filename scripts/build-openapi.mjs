#!/usr/bin/env node
// Builds the Kubernetes object schemas from the kubernetes-types package (its .d.ts files carry every
// field, its type and its documentation) into public/openapi/definitions.json:
//   { info, definitions: { "io.k8s.api.apps.v1.Deployment": <JSON schema>, ... },
//     kinds: [{ group, version, kind, definition }] }
// References use "#/definitions/<name>" (swagger 2.0 form); the apiserver rewrites them for OpenAPI v3.
// The output is cached by the package version and this script's own hash; a rerun with both unchanged
// does nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typesDir = join(root, 'node_modules', 'kubernetes-types');
const outFile = join(root, 'public', 'openapi', 'definitions.json');

const pkg = JSON.parse(readFileSync(join(typesDir, 'package.json'), 'utf8'));
const stamp = createHash('sha256').update(pkg.version).update(readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 16);
if (existsSync(outFile)) {
  try {
    if (JSON.parse(readFileSync(outFile, 'utf8')).info?.stamp === stamp) {
      console.log(`openapi: reused public/openapi/definitions.json (kubernetes-types ${pkg.version})`);
      process.exit(0);
    }
  } catch {
    /* rebuild */
  }
}

/** kubernetes-types module path (without .d.ts) → OpenAPI definition prefix. */
function prefixOf(modulePath) {
  if (modulePath === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (modulePath === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (modulePath === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (modulePath === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (modulePath.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${modulePath.split('/')[1]}`;
  return `io.k8s.api.${modulePath.replace('/', '.')}`;
}

/** Where kubernetes-types' API groups live on the server: core has group "", others their full name. */
const GROUPS = {
  core: '', apps: 'apps', batch: 'batch', autoscaling: 'autoscaling', policy: 'policy', rbac: 'rbac.authorization.k8s.io',
  networking: 'networking.k8s.io', storage: 'storage.k8s.io', scheduling: 'scheduling.k8s.io', coordination: 'coordination.k8s.io',
  discovery: 'discovery.k8s.io', events: 'events.k8s.io', apiextensions: 'apiextensions.k8s.io', authorization: 'authorization.k8s.io',
  authentication: 'authentication.k8s.io', certificates: 'certificates.k8s.io', node: 'node.k8s.io', flowcontrol: 'flowcontrol.apiserver.k8s.io',
  admissionregistration: 'admissionregistration.k8s.io', apiserverinternal: 'internal.apiserver.k8s.io', resource: 'resource.k8s.io',
  storagemigration: 'storagemigration.k8s.io',
};

/** Scalar aliases with the formats Kubernetes' OpenAPI gives them. */
const ALIASES = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object' },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
};

const files = [];
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.d.ts')) files.push(p);
  }
})(typesDir);

const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true });
const checker = program.getTypeChecker();
const definitions = {};
const kinds = [];

function docOf(node) {
  const tags = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = tags.map((d) => (typeof d.comment === 'string' ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? '')).join('\n').trim();
  return text || undefined;
}

function definitionName(decl) {
  const mod = relative(typesDir, decl.getSourceFile().fileName).replace(/\.d\.ts$/, '');
  return `${prefixOf(mod)}.${decl.name.text}`;
}

function schemaOfTypeNode(node) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'integer' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return {};
    case ts.SyntaxKind.LiteralType:
      return ts.isStringLiteral(node.literal) ? { type: 'string' } : { type: 'integer' };
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: schemaOfTypeNode(node.elementType) };
    case ts.SyntaxKind.UnionType: {
      const parts = node.types.map(schemaOfTypeNode);
      const types = new Set(parts.map((p) => p.type));
      if (types.has('integer') && types.has('string')) return { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
      return parts[0];
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index) return { type: 'object', additionalProperties: schemaOfTypeNode(index.type) };
      return { type: 'object' };
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length) return { type: 'array', items: schemaOfTypeNode(node.typeArguments[0]) };
      if (name === 'Record' && node.typeArguments?.length === 2) return { type: 'object', additionalProperties: schemaOfTypeNode(node.typeArguments[1]) };
      let sym = checker.getSymbolAtLocation(node.typeName);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      const decl = sym?.declarations?.[0];
      if (!decl) return {};
      const defName = definitionName(decl);
      if (ALIASES[defName]) return { $ref: `#/definitions/${defName}` };
      if (ts.isTypeAliasDeclaration(decl)) return schemaOfTypeNode(decl.type);
      return { $ref: `#/definitions/${defName}` };
    }
    default:
      return {};
  }
}

for (const sf of program.getSourceFiles()) {
  if (!sf.fileName.startsWith(typesDir)) continue;
  const mod = relative(typesDir, sf.fileName).replace(/\.d\.ts$/, '');
  for (const stmt of sf.statements) {
    if (ts.isInterfaceDeclaration(stmt)) {
      const name = definitionName(stmt);
      const schema = { type: 'object' };
      const description = docOf(stmt);
      if (description) schema.description = description;
      const properties = {};
      const required = [];
      let apiVersion;
      let kind;
      for (const m of stmt.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        const key = m.name.getText().replace(/^"|"$/g, '');
        const prop = schemaOfTypeNode(m.type);
        const doc = docOf(m);
        // $ref siblings are ignored by JSON schema tools, so a documented reference is wrapped.
        properties[key] = doc ? (prop.$ref ? { description: doc, allOf: [prop] } : { description: doc, ...prop }) : prop;
        if (!m.questionToken) required.push(key);
        if (key === 'apiVersion' && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) apiVersion = m.type.literal.text;
        if (key === 'kind' && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) kind = m.type.literal.text;
      }
      schema.properties = properties;
      if (required.length) schema.required = required.sort();
      if (apiVersion && kind) {
        const [groupDir] = mod.split('/');
        const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
        const group = GROUPS[groupDir] ?? groupDir;
        schema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
        if (!kind.endsWith('List')) kinds.push({ group, version, kind, definition: name });
      }
      definitions[name] = schema;
    } else if (ts.isTypeAliasDeclaration(stmt)) {
      const name = definitionName(stmt);
      if (ALIASES[name]) definitions[name] = { ...ALIASES[name], ...(docOf(stmt) ? { description: docOf(stmt) } : {}) };
    }
  }
}

const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
kinds.sort((a, b) => `${a.group}/${a.version}/${a.kind}`.localeCompare(`${b.group}/${b.version}/${b.kind}`));
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify({ info: { source: `kubernetes-types ${pkg.version}`, stamp }, definitions: sorted, kinds }));
console.log(`openapi: built public/openapi/definitions.json (${Object.keys(sorted).length} definitions, ${kinds.length} kinds, kubernetes-types ${pkg.version})`);
