import { describe, expect, it } from 'vitest';
import { goJsonSyntaxError } from './go-json-error';

describe('goJsonSyntaxError', () => {
  it("words the first syntax error as Go's encoding/json does", () => {
    const cases: Array<[string, string]> = [
      ['{bad', "invalid character 'b' looking for beginning of object key string"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a": 1 "b": 2}', `invalid character '"' after object key:value pair`],
      ['[1 2]', "invalid character '2' after array element"],
      ['{"a": x}', "invalid character 'x' looking for beginning of value"],
      ['{"a": tru}', "invalid character '}' in literal true (expecting 'e')"],
      ['{"a": -x}', "invalid character 'x' in numeric literal"],
      ['{} {}', "invalid character '{' after top-level value"],
      ["{'a': 1}", "invalid character '\\'' looking for beginning of object key string"],
      ['{"a": "b\\q"}', "invalid character 'q' in string escape code"],
      ['{"a": "\n"}', "invalid character '\\n' in string literal"],
      ['{"a": [1, 2', 'unexpected end of JSON input'],
      ['', 'unexpected end of JSON input'],
    ];
    for (const [text, msg] of cases) expect(goJsonSyntaxError(text), text).toBe(msg);
  });

  it('returns undefined for valid JSON', () => {
    for (const text of ['{}', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ', '"s"', '0']) expect(goJsonSyntaxError(text), text).toBeUndefined();
  });
});
