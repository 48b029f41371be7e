import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { labelSelectorAsSelector, parseLabelSelector as parseSelector } from '../api/label-selector';

/**
 * Matcher-shaped views of src/api/label-selector (the one label-selector implementation), for
 * informers, listers and controllers.
 */
export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/** Parses the string form (`a=b,c!=d,e in (x,y),!f`). Empty matches everything. Throws Error on a malformed selector. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  const s = parseSelector(selector ?? '');
  return (labels) => s.matches(labels);
}

/** Compiles a metav1.LabelSelector. An empty selector matches everything; null/undefined matches nothing. */
export function labelSelectorMatcher(sel: LabelSelector | null | undefined): LabelMatcher {
  let s: ReturnType<typeof labelSelectorAsSelector>;
  try {
    s = labelSelectorAsSelector(sel);
  } catch {
    return () => false;
  }
  return s === 'nothing' ? () => false : (labels) => s.matches(labels);
}

/** Matcher for a plain map of required labels (a Service or nodeSelector style selector). */
export function mapSelectorMatcher(required: Record<string, string> | undefined): LabelMatcher {
  const entries = Object.entries(required ?? {});
  return (labels) => entries.every(([k, v]) => labels?.[k] === v);
}
