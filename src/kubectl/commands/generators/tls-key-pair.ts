import { RawError } from '../../cli/errors';

/**
 * Go's tls.X509KeyPair checks as `kubectl create secret tls` runs them, with their error texts: PEM block
 * selection, then the certificate's public key against the private key (PKCS#1, PKCS#8 or SEC1): RSA moduli
 * must be equal, EC points must be equal (taken from the key's embedded public key). Not checked, unlike Go:
 * the rest of the certificate (only the DER structure down to subjectPublicKeyInfo is parsed, so any other
 * x509 error is reported as "x509: malformed certificate"), EC keys without an embedded public key, and
 * Ed25519 keys (no curve arithmetic here). Throws RawError("error: tls: …") on a mismatch.
 */
export function checkX509KeyPair(certPem: string, keyPem: string): void {
  const certBlocks = pemBlocks(certPem);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (!certs.length) {
    const skipped = certBlocks.map((b) => b.type);
    if (!skipped.length) fail('tls: failed to find any PEM data in certificate input');
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) fail('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    fail(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  const keyBlocks = pemBlocks(keyPem);
  const key = keyBlocks.find((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (!key) {
    const skipped = keyBlocks.map((b) => b.type);
    if (!skipped.length) fail('tls: failed to find any PEM data in key input');
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') fail('tls: found a certificate rather than a key in the PEM for the private key');
    fail(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  const pub = certPublicKey(certs[0].der);
  const priv = parsePrivateKey(key.der);
  if (!priv) fail('tls: failed to parse private key');
  if (pub.alg === 'unknown') fail('tls: unknown public key algorithm');
  if (pub.alg !== priv.alg) fail('tls: private key type does not match public key type');
  if (pub.key && priv.key && !sameBytes(pub.key, priv.key)) fail('tls: private key does not match public key');
}

function fail(msg: string): never {
  throw new RawError(`error: ${msg}`);
}

interface Block {
  type: string;
  der: Uint8Array;
}

/** PEM blocks in order (Go pem.Decode: headers skipped; a block whose body is not base64 is skipped). */
function pemBlocks(text: string): Block[] {
  const out: Block[] = [];
  const re = /-----BEGIN ([^\n\r]*?)-----[ \t]*\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2].split(/\r?\n/).filter((l) => !l.includes(':')).join('').replace(/\s/g, '');
    const der = fromBase64(body);
    if (der) out.push({ type: m[1], der });
  }
  return out;
}

function fromBase64(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4) return undefined;
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 4) {
    const n = [0, 1, 2, 3].map((k) => (s[i + k] === '=' ? 0 : abc.indexOf(s[i + k])));
    const v = (n[0] << 18) | (n[1] << 12) | (n[2] << 6) | n[3];
    out.push((v >> 16) & 255);
    if (s[i + 2] !== '=') out.push((v >> 8) & 255);
    if (s[i + 3] !== '=') out.push(v & 255);
  }
  return Uint8Array.from(out);
}

interface Tlv {
  tag: number;
  body: Uint8Array;
}

/** The DER elements of bytes, in order; throws on a malformed length. */
function children(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const tag = bytes[i++];
    let len = bytes[i++];
    if (len === undefined) throw new Error('truncated');
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 4) throw new Error('bad length');
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + bytes[i++];
    }
    if (i + len > bytes.length) throw new Error('truncated');
    out.push({ tag, body: bytes.subarray(i, i + len) });
    i += len;
  }
  return out;
}

function seq(bytes: Uint8Array): Tlv[] {
  const [top] = children(bytes);
  if (!top || top.tag !== 0x30) throw new Error('not a sequence');
  return children(top.body);
}

const OID = { rsa: '2a864886f70d010101', ec: '2a8648ce3d0201', ed25519: '2b6570' };
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const stripZeros = (b: Uint8Array) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

interface KeyInfo {
  alg: 'rsa' | 'ec' | 'ed25519' | 'unknown';
  /** RSA modulus or EC point; undefined when it cannot be known. */
  key?: Uint8Array;
}

function algOf(oid: Uint8Array): KeyInfo['alg'] {
  const h = hex(oid);
  return h === OID.rsa ? 'rsa' : h === OID.ec ? 'ec' : h === OID.ed25519 ? 'ed25519' : 'unknown';
}

/** The subjectPublicKeyInfo of a certificate's first TBSCertificate; x509's error when malformed. */
function certPublicKey(der: Uint8Array): KeyInfo {
  try {
    const tbs = seq(der)[0];
    const fields = children(tbs.body);
    const at = fields[0]?.tag === 0xa0 ? 6 : 5;
    const spki = children(fields[at].body);
    const alg = algOf(children(spki[0].body)[0].body);
    const bits = spki[1].body.subarray(1);
    if (alg === 'rsa') return { alg, key: stripZeros(seq(bits)[0].body) };
    return { alg, key: alg === 'ec' ? bits : undefined };
  } catch {
    fail('x509: malformed certificate');
  }
}

/** Go's parsePrivateKey order: PKCS#1, PKCS#8, SEC1; undefined when none parses. */
function parsePrivateKey(der: Uint8Array): KeyInfo | undefined {
  for (const parse of [pkcs1, pkcs8, sec1]) {
    try {
      const k = parse(der);
      if (k) return k;
    } catch {
      // next format
    }
  }
  return undefined;
}

function pkcs1(der: Uint8Array): KeyInfo | undefined {
  const f = seq(der);
  if (f.length < 9 || f.some((x) => x.tag !== 0x02)) return undefined;
  return { alg: 'rsa', key: stripZeros(f[1].body) };
}

function pkcs8(der: Uint8Array): KeyInfo | undefined {
  const f = seq(der);
  if (f.length < 3 || f[0].tag !== 0x02 || f[1].tag !== 0x30 || f[2].tag !== 0x04) return undefined;
  const alg = algOf(children(f[1].body)[0].body);
  if (alg === 'rsa') return pkcs1(f[2].body);
  if (alg === 'ec') return sec1(f[2].body);
  if (alg === 'ed25519') return { alg };
  return undefined;
}

function sec1(der: Uint8Array): KeyInfo | undefined {
  const f = seq(der);
  if (f.length < 2 || f[0].tag !== 0x02 || f[1].tag !== 0x04) return undefined;
  const pub = f.find((x) => x.tag === 0xa1);
  return { alg: 'ec', key: pub ? children(pub.body)[0].body.subarray(1) : undefined };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
