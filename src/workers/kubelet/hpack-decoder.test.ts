import { describe, expect, it } from 'vitest';
import { HpackDecoder, huffmanDecode } from './hpack-decoder';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('hpack Huffman decoding (RFC 7541 Appendix B)', () => {
  it('decodes the string literals of RFC 7541 C.4 and C.6', () => {
    expect(text(huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff')))).toBe('www.example.com');
    expect(text(huffmanDecode(hex('a8eb 1064 9cbf')))).toBe('no-cache');
    expect(text(huffmanDecode(hex('25a8 49e9 5ba9 7d7f')))).toBe('custom-key');
    expect(text(huffmanDecode(hex('25a8 49e9 5bb8 e8b4 bf')))).toBe('custom-value');
    expect(text(huffmanDecode(hex('6402')))).toBe('302');
    expect(text(huffmanDecode(hex('aec3 771a 4b')))).toBe('private');
    expect(text(huffmanDecode(hex('d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff')))).toBe('Mon, 21 Oct 2013 20:13:21 GMT');
    expect(text(huffmanDecode(hex('9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3')))).toBe('https://www.example.com');
    expect(text(huffmanDecode(hex('9bd9 ab')))).toBe('gzip');
    expect(text(huffmanDecode(new Uint8Array()))).toBe('');
  });

  it('decodes every byte value (codes of 5 to 30 bits) and ends on at most 7 bits of EOS padding', () => {
    // 0x00 = 1111111111000 (13 bits), 0x0a = 30 bits of 1…100, 0xff = 11111111111111111111101110 (26 bits)
    expect(Array.from(huffmanDecode(hex('ffc7')))).toEqual([0x00]); // 13 bits + 3 bits of padding
    expect(Array.from(huffmanDecode(hex('ffff fff3')))).toEqual([0x0a]); // 30 bits + 2 bits of padding
    expect(Array.from(huffmanDecode(hex('ffff fb81')))).toEqual([0xff, 0x30]); // 0xff then '0' (00000) … 26+5 = 31 bits, 1 bit of padding
  });

  it('refuses EOS in the data, padding over 7 bits, padding that is not all ones, and truncated codes', () => {
    expect(() => huffmanDecode(hex('ffff ffff'))).toThrow('hpack: EOS in a huffman-coded string');
    expect(() => huffmanDecode(hex('ff'))).toThrow('hpack: invalid huffman padding');
    expect(() => huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f4fe'))).toThrow('hpack: invalid huffman padding');
    expect(() => huffmanDecode(hex('ffff'))).toThrow('hpack: invalid huffman padding');
  });
});

describe('HpackDecoder with Huffman-coded literals', () => {
  it('decodes the three requests of RFC 7541 C.4, sharing the dynamic table', () => {
    const d = new HpackDecoder();
    expect(d.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'))).toEqual([
      [':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'],
    ]);
    expect(d.decode(hex('8286 84be 5886 a8eb 1064 9cbf'))).toEqual([
      [':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache'],
    ]);
    expect(d.decode(hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'))).toEqual([
      [':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value'],
    ]);
  });

  it('decodes the three responses of RFC 7541 C.6 with a 256-octet table (evictions included)', () => {
    const d = new HpackDecoder();
    d.decode(hex('3fe1 01')); // dynamic table size update to 256
    expect(d.decode(hex('4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3'))).toEqual([
      [':status', '302'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com'],
    ]);
    expect(d.decode(hex('4883 640e ffc1 c0bf'))).toEqual([
      [':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com'],
    ]);
    expect(
      d.decode(hex('88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07')),
    ).toEqual([
      [':status', '200'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'], ['location', 'https://www.example.com'],
      ['content-encoding', 'gzip'], ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
    ]);
  });
});
