import { describe, expect, it } from 'vitest';
import { parseLabelSelector, formatLabelSelector, matchesLabelSelector, formatLabels } from './label-selector';
import { parseFieldSelector } from './field-selector';

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'frontend', n: '5' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier=backend', false],
    ['app=web, tier=frontend', true],
    ['n>3', true],
    ['n<3', false],
    ['app=', false],
    ['app in (in)', false],
    ['tier in (frontend,)', true],
  ])('%s → %s', (sel, want) => {
    expect(parseLabelSelector(sel).matches(labels)).toBe(want);
  });

  it('rejects malformed selectors with a parser message', () => {
    expect(() => parseLabelSelector('app in web')).toThrow("unable to parse requirement: found 'web' expected: '('");
    expect(() => parseLabelSelector('app in (a')).toThrow("unable to parse requirement: found '', expected: ',' or ')'");
    expect(() => parseLabelSelector('app=web,,')).toThrow("found ',', expected: identifier after ','");
    expect(() => parseLabelSelector('a=b=c')).toThrow("found '=', expected: ',' or 'end of string'");
    expect(() => parseLabelSelector('a=b c')).toThrow("found 'c', expected: ',' or 'end of string'");
    expect(() => parseLabelSelector('x>a')).toThrow("unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer");
    expect(() => parseLabelSelector('k=a b')).toThrow(/found 'b'/);
    expect(() => parseLabelSelector('k=a$')).toThrow('unable to parse requirement: values[0][k]: Invalid value: "a$": a valid label must be an empty string');
  });

  it('prints in canonical order', () => {
    expect(parseLabelSelector('tier in (b,a),app=web').toString()).toBe('app=web,tier in (a,b)');
  });

  it('handles metav1.LabelSelector', () => {
    expect(matchesLabelSelector({ matchLabels: { app: 'web' } }, { app: 'web' })).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, { app: 'web' })).toBe(false);
    expect(matchesLabelSelector(undefined, { app: 'web' })).toBe(false);
    expect(matchesLabelSelector({}, { app: 'web' })).toBe(true);
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' } })).toBe('a=1,b=2');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabels({ run: 'x', app: 'y' })).toBe('app=y,run=x');
  });
});

describe('parseFieldSelector', () => {
  it('parses =, == and != terms with escapes', () => {
    const s = parseFieldSelector('spec.nodeName=n1,status.phase!=Running,metadata.name==a\\,b');
    expect(s.requirements).toEqual([
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
      { field: 'metadata.name', operator: '=', value: 'a,b' },
    ]);
    expect(s.matches({ 'spec.nodeName': 'n1', 'status.phase': 'Pending', 'metadata.name': 'a,b' })).toBe(true);
    expect(s.matches({ 'spec.nodeName': 'n2', 'status.phase': 'Pending', 'metadata.name': 'a,b' })).toBe(false);
    expect(parseFieldSelector('spec.nodeName=').matches({})).toBe(true);
  });
  it('rejects terms without an operator', () => {
    expect(() => parseFieldSelector('foo')).toThrow("invalid selector: 'foo'; can't understand 'foo'");
  });
});
