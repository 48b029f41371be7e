import { goJsonSyntaxError } from '../../../api/go-json-error';
import { badRequest, type ApiServerError } from '../errors';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';

export type PatchContentType = typeof JSON_PATCH | typeof MERGE_PATCH | typeof STRATEGIC_PATCH;

export function isPatchContentType(ct: string): ct is PatchContentType {
  return ct === JSON_PATCH || ct === MERGE_PATCH || ct === STRATEGIC_PATCH;
}

/** The name Go's encoding/json gives a JSON value's kind in "cannot unmarshal <kind> into …". */
function goKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string | number | object
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAP = 'map[string]interface {}';
const INVALID_MERGE_PATCH = 'Invalid JSON Patch'; // evanphx/json-patch ErrBadJSONPatch

/**
 * Decodes a json-, merge- or strategic-merge-patch body as kube-apiserver 1.32's patcher does (handlers/patch.go),
 * and returns the patch to apply. body is the patch's JSON text when a string (the tab sends text; the HTTP
 * server passes text it could not decode to a non-string value), otherwise its decoded value; undefined is empty text.
 *
 * Errors (400 BadRequest), with fieldValidation Warn (the default) or Strict, the body read by kjson.UnmarshalStrict:
 * - strategic: into map[string]interface {}, unprefixed: "invalid character 'b' looking for beginning of object key string",
 *   "json: cannot unmarshal array into Go value of type map[string]interface {}"; null is an empty patch.
 * - merge: into map[string]interface {}, prefixed "error decoding patch: "; null is jsonpatch's "Invalid JSON Patch".
 * - json: into []handlers.jsonPatchOp, prefixed "error decoding patch: " (an element "… of type handlers.jsonPatchOp",
 *   a field "… into Go struct field jsonPatchOp.op of type string"); null is an empty patch.
 * With fieldValidation=Ignore there is no strict read: json patch errors are jsonpatch.DecodePatch's, unprefixed
 * ("… of type jsonpatch.Patch"), and a malformed or non-object merge patch is "Invalid JSON Patch" (an array merge
 * patch is still refused as with Warn).
 */
export function decodePatchBody(contentType: PatchContentType, body: unknown, fieldValidation?: string): unknown {
  const ignore = fieldValidation === 'Ignore';
  const prefix = ignore ? '' : 'error decoding patch: ';
  let patch = body === undefined ? '' : body; // an empty body is empty text: "unexpected end of JSON input"
  if (typeof patch === 'string') {
    const syntax = goJsonSyntaxError(patch);
    if (syntax !== undefined) {
      if (contentType === STRATEGIC_PATCH) throw badRequest(syntax);
      if (contentType === MERGE_PATCH && ignore) throw badRequest(INVALID_MERGE_PATCH);
      throw badRequest(`${prefix}${syntax}`);
    }
    patch = JSON.parse(patch);
  }
  const cannot = (v: unknown, type: string): ApiServerError => badRequest(`json: cannot unmarshal ${goKind(v)} into Go value of type ${type}`);
  if (contentType === STRATEGIC_PATCH) {
    if (patch === null) return {};
    if (!isObj(patch)) throw cannot(patch, MAP);
    return patch;
  }
  if (contentType === MERGE_PATCH) {
    if (patch === null || (ignore && typeof patch !== 'object')) throw badRequest(INVALID_MERGE_PATCH);
    if (!isObj(patch)) throw badRequest(`${prefix}${cannot(patch, MAP).message}`);
    return patch;
  }
  if (patch === null) return [];
  if (!Array.isArray(patch)) throw badRequest(`${prefix}${cannot(patch, ignore ? 'jsonpatch.Patch' : '[]handlers.jsonPatchOp').message}`);
  for (const op of patch) {
    if (op === null) continue;
    if (!isObj(op)) throw badRequest(`${prefix}${cannot(op, ignore ? 'jsonpatch.Operation' : 'handlers.jsonPatchOp').message}`);
    if (ignore) continue;
    for (const [field, v] of Object.entries(op)) {
      if ((field === 'op' || field === 'path' || field === 'from') && v !== null && typeof v !== 'string') {
        throw badRequest(`${prefix}json: cannot unmarshal ${goKind(v)} into Go struct field jsonPatchOp.${field} of type string`);
      }
    }
  }
  return patch;
}
