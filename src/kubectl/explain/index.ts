/**
 * src/kubectl/explain: `kubectl explain` rendering. render-explain.ts walks a group-version's OpenAPI v3
 * document as kubectl 1.32's plaintext template does; go-wrap.ts is the template's wrap/indent.
 */
export { explainDocument, ExplainError, type OpenApiDoc, type Schema } from './render-explain';
export { goIndent, goWrap } from './go-wrap';
