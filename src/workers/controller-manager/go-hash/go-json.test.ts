import { describe, expect, it } from 'vitest';
import { goJson, goQuote } from './go-json';
import { spewForHash } from './spew-for-hash';

describe('Go encoding details the goldens do not reach', () => {
  it('escapes strings as Go 1.23 encoding/json does (HTML-safe, \\b \\f short forms, lone surrogates → U+FFFD)', () => {
    expect(goQuote('a<b>&"\\\u2028\u2029')).toBe('"a\\u003cb\\u003e\\u0026\\"\\\\\\u2028\\u2029"');
    expect(goQuote('\b\f\n\r\t\u0001\u001f')).toBe('"\\b\\f\\n\\r\\t\\u0001\\u001f"');
    expect(goQuote('x\ud800y\udc00😀')).toBe('"x\ufffdy\ufffd😀"');
  });

  it('sorts map keys by UTF-8 bytes (integer-like keys too), in JSON and in spew', () => {
    const m = { '2': 'b', '10': 'a', 'é': 'c', '\uffff': 'd', '😀': 'e' };
    expect(goJson('map[string]string', m)).toBe('{"10":"a","2":"b","é":"c","\uffff":"d","😀":"e"}');
    expect(spewForHash('map[string]string', m)).toBe('(map[string]string)map[10:a 2:b é:c \uffff:d 😀:e]');
  });

  it('decodes like protobuf: empty lists and maps are nil, a present pointer is set even when empty', () => {
    expect(spewForHash('core.PodDNSConfig', { nameservers: [], searches: ['a'] })).toBe('(v1.PodDNSConfig){Nameservers:([]string)<nil> Searches:([]string)[a] Options:([]v1.PodDNSConfigOption)<nil>}');
    expect(spewForHash('core.ConfigMapVolumeSource', { name: 'c', items: [], defaultMode: 420, optional: false })).toBe('(v1.ConfigMapVolumeSource){LocalObjectReference:(v1.LocalObjectReference){Name:(string)c} Items:([]v1.KeyToPath)<nil> DefaultMode:(*int32)420 Optional:(*bool)false}');
    expect(goJson('core.EmptyDirVolumeSource', {})).toBe('{}');
    expect(goJson('core.ResourceFieldSelector', { resource: 'limits.cpu' })).toBe('{"divisor":"0","resource":"limits.cpu"}');
  });
});
