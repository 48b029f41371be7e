import { isSeq, parseAllDocuments, parseDocument, type Tags, type YAMLError } from 'yaml';

/** A manifest object as read from a file (apiVersion/kind may be missing; validation is separate). */
export type Manifest = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; generateName?: string; annotations?: Record<string, string>; [k: string]: unknown };
};

export interface ManifestError {
  /** kubectl's complete message, e.g. 'error parsing STDIN: error converting YAML to JSON: yaml: line 5, column 7: mapping values are not allowed in this context'. */
  message: string;
  /** 1-based position in the whole text (not the document) of the problem. */
  line: number;
  column: number;
}

export type ParseResult = { ok: true; objects: Manifest[] } | { ok: false; error: ManifestError };

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** Maps a yaml-library error onto libyaml's message and the offset libyaml would point at. */
function libyamlError(text: string, e: YAMLError): { msg: string; offset: number } {
  const at = e.pos[0];
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      const re = /:(?=[ \t\r\n]|$)/g;
      re.lastIndex = at;
      const m = re.exec(text);
      return { msg: 'mapping values are not allowed in this context', offset: m ? m.index : at };
    }
    case 'TAB_AS_INDENT':
      return { msg: 'found character that cannot start any token', offset: at };
    case 'MISSING_CHAR':
      if (/quote/i.test(e.message)) return { msg: 'found unexpected end of stream', offset: at };
      return { msg: 'could not find expected \':\'', offset: at };
    case 'BAD_INDENT':
      if (/Flow sequence/.test(e.message)) return { msg: "did not find expected ',' or ']'", offset: at };
      if (/Flow mapping/.test(e.message)) return { msg: "did not find expected ',' or '}'", offset: at };
      return { msg: 'did not find expected key', offset: at };
    case 'UNEXPECTED_TOKEN':
      return { msg: /seq/.test(e.message) ? "did not find expected '-' indicator" : 'did not find expected key', offset: at };
    default:
      return { msg: 'did not find expected key', offset: at };
  }
}

/**
 * kubectl's sigs.k8s.io/yaml resolves plain scalars as go-yaml v2 does, i.e. YAML 1.1: `0440` is octal (288),
 * `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `1_000` and `0b101` are ints. Timestamps and sexagesimal
 * numbers stay strings (go-yaml v2 keeps timestamps as strings for untyped targets and has no base 60).
 */
const YAML_1_1 = {
  uniqueKeys: false,
  prettyErrors: false,
  version: '1.1',
  customTags: (tags: Tags) => tags.filter((t) => !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:timestamp' || ('format' in t && t.format === 'TIME')))),
} as const;

/**
 * Parses a manifest stream (multi-document YAML, JSON, or v1 List) the way kubectl's
 * YAMLOrJSONDecoder does: empty documents are skipped, Lists are flattened into their items, duplicate
 * keys keep the last value. Any syntax error fails the whole stream (nothing is returned) with kubectl's
 * text plus the column: "error parsing SOURCE: error converting YAML to JSON: yaml: line L, column C: MSG".
 */
export function parseManifests(text: string, sourceName: string): ParseResult {
  const docs = parseAllDocuments(text, YAML_1_1);
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: Manifest[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const { msg, offset } = libyamlError(text, err);
      const { line, column } = lineCol(text, offset);
      return { ok: false, error: { line, column, message: `error parsing ${sourceName}: error converting YAML to JSON: yaml: line ${line}, column ${column}: ${msg}` } };
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      const { line, column } = lineCol(text, doc.range[0]);
      const got = Array.isArray(value) ? 'array' : typeof value;
      return { ok: false, error: { line, column, message: `error parsing ${sourceName}: json: cannot unmarshal ${got} into Go value of type map[string]interface {}` } };
    }
    const obj = value as Manifest;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      for (const item of obj.items as Manifest[]) objects.push(item);
    } else objects.push(obj);
  }
  return { ok: true, objects };
}

/** libyaml's scanner errors, which go-yaml v2 numbers from 1 (its parser errors keep the 0-based mark line). */
const SCANNER_ERRORS = new Set(['mapping values are not allowed in this context', 'found character that cannot start any token', 'found unexpected end of stream', "could not find expected ':'"]);

/**
 * sigs.k8s.io/yaml's YAMLToJSON of one YAML (or JSON) document (what kubectl patch does to -p): its value (null
 * when empty), or go-yaml v2's error, e.g. "yaml: line 1: did not find expected ',' or ']'": a scanner error
 * names its line counted from 1, a parser error the 0-based line of its mark (the end of the stream counts a
 * last line without a newline), and neither names line 0.
 */
export function yamlToJsonValue(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const doc = parseDocument(text, YAML_1_1);
  const err = doc.errors[0];
  if (!err) return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) ?? null };
  let { msg, offset } = libyamlError(text, err);
  if (err.code === 'MISSING_CHAR' && /Flow sequence/.test(err.message)) msg = "did not find expected ',' or ']'";
  if (err.code === 'MISSING_CHAR' && /Flow mapping/.test(err.message)) msg = "did not find expected ',' or '}'";
  if (err.code === 'UNEXPECTED_TOKEN' && isSeq(doc.contents)) msg = "did not find expected '-' indicator";
  const newlines = (end: number) => text.slice(0, end).split('\n').length - 1;
  let line: number;
  if (SCANNER_ERRORS.has(msg)) line = offset >= text.length && msg === 'found unexpected end of stream' ? 0 : newlines(offset) && newlines(offset) + 1;
  else line = offset >= text.length ? newlines(text.length) + (text.endsWith('\n') ? 0 : 1) : newlines(offset);
  return { ok: false, message: `yaml: ${line ? `line ${line}: ` : ''}${msg}` };
}

/**
 * kubectl's client-side check before mapping: returns the "error validating" message, or undefined.
 * e.g. 'error validating "STDIN": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false'.
 */
export function validateManifest(obj: Manifest, sourceName: string): string | undefined {
  const missing: string[] = [];
  if (!obj.apiVersion) missing.push('apiVersion not set');
  if (!obj.kind) missing.push('kind not set');
  if (missing.length === 0) return undefined;
  const what = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
  return `error validating "${sourceName}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`;
}
