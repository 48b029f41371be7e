import { describe, expect, it } from 'vitest';
import { completionEdit, formatCandidates } from './completion-edit';

describe('completionEdit', () => {
  it('inserts the single candidate with a space, the common prefix, or lists candidates', () => {
    expect(completionEdit({ from: 8, word: 'ge', candidates: ['get'] })).toEqual({ insert: 't ' });
    expect(completionEdit({ from: 8, word: 'js', candidates: ['jsonpath='] })).toEqual({ insert: 'onpath=' });
    expect(completionEdit({ from: 8, word: 'w', candidates: ['web-a', 'web-b'] })).toEqual({ insert: 'eb-' });
    expect(completionEdit({ from: 8, word: 'web-', candidates: ['web-a', 'web-b'] })).toEqual({ insert: '', list: ['web-a', 'web-b'] });
    expect(completionEdit({ from: 8, word: 'x', candidates: [] })).toEqual({ insert: '' });
  });
  it('lays candidates out in columns', () => {
    expect(formatCandidates(['a', 'bb', 'ccc'], 10)).toBe('a    bb\r\nccc\r\n');
  });
});
