import { isQualifiedName, isValidLabelValue } from '../../../api/label-validation';
import { fieldSelectorOf, parseFieldSelector, type FieldRequirement } from '../../../api/field-selector';
import { parseLabelSelector } from '../../../api/label-selector';
import { forbidden, invalid, required, type FieldError } from '../field-errors';

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[] | null;
}

/** authorization/v1 FieldSelectorAttributes / LabelSelectorAttributes (AuthorizeWithSelectors, beta in 1.32). */
export interface SelectorAttributes {
  rawSelector?: string;
  requirements?: Requirement[] | null;
}

const PATH = 'spec.resourceAttributes';

function rawOrRequirements(s: SelectorAttributes, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const raw = s.rawSelector ?? '';
  const n = s.requirements?.length ?? 0;
  if (raw && n) errs.push(invalid(`${path}.rawSelector`, raw, 'may not specified at the same time as requirements'));
  if (!raw && !n) errs.push(required(`${path}.requirements`, `when ${path} is specified, requirements or rawSelector is required`));
  return errs;
}

/** metav1validation's requirement operator rules with AllowUnknownOperatorInRequirement (unknown operators pass). */
function operatorRules(r: Requirement, path: string): FieldError[] {
  const n = r.values?.length ?? 0;
  if ((r.operator === 'In' || r.operator === 'NotIn') && !n) return [required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'")];
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n) return [forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")];
  return [];
}

/**
 * validateResourceAttributes (pkg/apis/authorization/validation, 1.32), for SubjectAccessReview,
 * SelfSubjectAccessReview and LocalSubjectAccessReview: fieldSelector then labelSelector, each with exactly
 * one of rawSelector/requirements, and every requirement checked (ValidateFieldSelectorRequirement: key
 * required; ValidateLabelSelectorRequirement: the key a qualified name, values label values).
 */
export function validateSelectorAttributes(r: { fieldSelector?: SelectorAttributes | null; labelSelector?: SelectorAttributes | null } | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (r?.fieldSelector) {
    const path = `${PATH}.fieldSelector`;
    errs.push(...rawOrRequirements(r.fieldSelector, path));
    (r.fieldSelector.requirements ?? []).forEach((q, i) => {
      const p = `${path}.requirements[${i}]`;
      if (!q.key) errs.push(required(`${p}.key`, 'must be specified'));
      errs.push(...operatorRules(q, p));
    });
  }
  if (r?.labelSelector) {
    const path = `${PATH}.labelSelector`;
    errs.push(...rawOrRequirements(r.labelSelector, path));
    (r.labelSelector.requirements ?? []).forEach((q, i) => {
      const p = `${path}.requirements[${i}]`;
      errs.push(...operatorRules(q, p));
      for (const m of isQualifiedName(q.key ?? '')) errs.push(invalid(`${p}.key`, q.key ?? '', m));
      (q.values ?? []).forEach((v, j) => {
        for (const m of isValidLabelValue(v)) errs.push(invalid(`${p}.values[${j}]`, v, m));
      });
    });
  }
  return errs;
}

/** fieldSelectorAsSelector (pkg/registry/authorization/util): In/NotIn of one value become =/!=; anything else is an error. */
function fieldRequirements(reqs: Requirement[]): { reqs: FieldRequirement[]; failed: boolean } {
  const out: FieldRequirement[] = [];
  let failed = false;
  for (const q of reqs) {
    const n = q.values?.length ?? 0;
    if (n === 1 && (q.operator === 'In' || q.operator === 'NotIn')) out.push({ field: q.key ?? '', operator: q.operator === 'In' ? '=' : '!=', value: q.values![0] });
    else failed = true;
  }
  return { reqs: out, failed };
}

const LABEL_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * ResourceAttributesFrom's selectors and BuildEvaluationError's selector part: the field selector the
 * authorizers see (the Node authorizer scopes a node's pod list/watch by spec.nodeName=<node>; requirements
 * that cannot be converted are dropped, a raw selector that does not parse is dropped whole), and the
 * evaluationError parts `spec.resourceAttributes.{field,label}Selector [partially ]ignored due to parse error`.
 */
export function reviewSelectors(r: { fieldSelector?: SelectorAttributes | null; labelSelector?: SelectorAttributes | null } | undefined): { fieldSelector?: string; errors: string[] } {
  const errors: string[] = [];
  let fieldSelector: string | undefined;
  const note = (which: string, kept: number) => errors.push(`${PATH}.${which} ${kept ? 'partially ' : ''}ignored due to parse error`);
  const f = r?.fieldSelector;
  if (f) {
    let reqs: FieldRequirement[] = [];
    let failed = false;
    if (f.requirements?.length) ({ reqs, failed } = fieldRequirements(f.requirements));
    else if (f.rawSelector) {
      try {
        reqs = [...parseFieldSelector(f.rawSelector).requirements];
      } catch {
        failed = true;
      }
    }
    if (reqs.length) fieldSelector = fieldSelectorOf(reqs).toString();
    if (failed) note('fieldSelector', reqs.length);
  }
  const l = r?.labelSelector;
  if (l) {
    if (l.requirements?.length) {
      const ok = l.requirements.filter((q) => LABEL_OPERATORS.has(q.operator ?? '')).length;
      if (ok < l.requirements.length) note('labelSelector', ok);
    } else if (l.rawSelector) {
      try {
        parseLabelSelector(l.rawSelector);
      } catch {
        note('labelSelector', 0);
      }
    }
  }
  return { ...(fieldSelector !== undefined ? { fieldSelector } : {}), errors };
}
