import { describe, expect, it } from 'vitest';
import { compileExpression, escapeName, toCel } from './cel-env';

const run = (src: string, self: unknown, oldSelf?: unknown) => {
  const c = compileExpression(src, 'bool');
  if (!c.program) throw new Error(c.error);
  return c.program({ self, oldSelf });
};

describe('CEL environment', () => {
  it('has the Kubernetes list and string extensions tutorials use', () => {
    const self = toCel({ l: [3, 1, 2], s: 'a-b-c', n: 1.5 }, undefined);
    expect(run('self.l.min() == 1 && self.l.max() == 3 && self.l.sum() == 6', self)).toBe(true);
    expect(run('!self.l.isSorted() && [1, 2].isSorted() && self.l.indexOf(2) == 2', self)).toBe(true);
    expect(run('self.s.replace("-", "") == "abc" && self.s.charAt(2) == "b" && self.s.matches("^a") && self.s.startsWith("a")', self)).toBe(true);
    expect(run('self.l.all(x, x > 0) && self.l.exists(x, x == 2) && has(self.s) && !has(self.zz) && self.n > 1.0', self)).toBe(true);
  });

  it('reports compile errors as cel-go issues and flags oldSelf use (not inside strings)', () => {
    expect(compileExpression('self.a ==', 'bool').error).toBe('compilation failed: ERROR: <input>:1:10: Syntax error: Unexpected token: EOF\n | self.a ==\n | .........^');
    expect(compileExpression('"x"', 'bool').error).toBe('cel expression must evaluate to a bool');
    expect(compileExpression('self == oldSelf', 'bool').usesOldSelf).toBe(true);
    expect(compileExpression('self == "oldSelf"', 'bool').usesOldSelf).toBe(false);
  });

  it('escapes property names as Kubernetes does', () => {
    expect(escapeName('x-y.z')).toBe('x__dash__y__dot__z');
    expect(escapeName('a__b')).toBe('a__underscores__b');
    expect(escapeName('namespace')).toBe('__namespace__');
    expect(run('self.x__dash__y == 1', toCel({ 'x-y': 1 }, { type: 'object', properties: { 'x-y': { type: 'integer' } } }))).toBe(true);
  });
});
