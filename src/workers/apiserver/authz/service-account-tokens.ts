import type { ServiceAccount } from 'kubernetes-types/core/v1';
import type { Clock } from '../../../api/clock';
import type { IdSource } from '../../../api/ids';
import type { UserInfo } from '../../../api/protocol';
import type { Store } from '../../../storage/store';
import { StoreError } from '../../../storage/store';
import { base64url, bytesEqual, fromBase64url, hmacSha256 } from './hmac-sha256';

/** The API audience and issuer kind's apiserver uses (tokens for other audiences do not authenticate here). */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const KEY_PATH = '/registry/tabernetes/serviceaccount-signing-key';

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': { namespace: string; serviceaccount: BoundObject } & BoundObjects;
  nbf: number;
  sub: string;
}

export interface BoundObject {
  name: string;
  uid: string;
}

/** The objects a TokenRequest's boundObjectRef bound the token to (kube's "kubernetes.io" pod/secret/node claims). */
export interface BoundObjects {
  pod?: BoundObject;
  secret?: BoundObject;
  node?: BoundObject;
}

const enc = new TextEncoder();
const json64 = (v: unknown) => base64url(enc.encode(JSON.stringify(v)));

/** system:serviceaccount:<ns>:<name> with the groups kube-apiserver gives service accounts. */
export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return { username: `system:serviceaccount:${namespace}:${name}`, ...(uid ? { uid } : {}), groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

interface VerifiedToken {
  namespace: string;
  name: string;
  uid: string;
  /** Claims' exp, seconds. */
  exp: number;
  /** modRevision of the ServiceAccount as last checked (unchanged: still live with that uid). */
  saRevision: number;
}

/**
 * Issues and verifies service account tokens: JWTs signed with HS256 under a per-cluster key kept in the
 * store (created on first use, so it survives reloads and is shared by every apiserver over that store).
 */
export class ServiceAccountTokens {
  private key: Promise<Uint8Array> | undefined;
  /** token → what it verified as; Map order is recency (oldest first). */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    /** Verified tokens remembered (least recently used evicted first). */
    private readonly cacheSize = 1000,
  ) {}

  private signingKey(): Promise<Uint8Array> {
    return (this.key ??= this.loadKey().catch((err: unknown) => {
      this.key = undefined;
      throw err;
    }));
  }

  private async loadKey(): Promise<Uint8Array> {
    const existing = (await this.store.get(KEY_PATH)).kv;
    if (existing) return fromBase64url(existing.value)!;
    try {
      return fromBase64url((await this.store.create(KEY_PATH, base64url(this.ids.bytes(32)))).kv.value)!;
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'KeyExists') throw err;
      return fromBase64url((await this.store.get(KEY_PATH)).kv!.value)!;
    }
  }

  /** A signed token for sa, valid for expirationSeconds from now, carrying the bound objects' claims. */
  async issue(sa: ServiceAccount, audiences: string[], expirationSeconds: number, bound: BoundObjects = {}): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.clock.now() / 1000);
    const ns = sa.metadata?.namespace ?? '';
    const name = sa.metadata?.name ?? '';
    const claims: TokenClaims = {
      aud: audiences,
      exp: now + expirationSeconds,
      iat: now,
      iss: API_AUDIENCE,
      jti: this.ids.uid(),
      'kubernetes.io': { namespace: ns, serviceaccount: { name, uid: sa.metadata?.uid ?? '' }, ...bound },
      nbf: now,
      sub: `system:serviceaccount:${ns}:${name}`,
    };
    const signingInput = `${json64({ alg: 'HS256', kid: 'tabernetes' })}.${json64(claims)}`;
    const sig = hmacSha256(await this.signingKey(), enc.encode(signingInput));
    return { token: `${signingInput}.${base64url(sig)}`, expiresAt: claims.exp * 1000 };
  }

  /**
   * The identity a token carries, or undefined when it is not ours, is malformed, expired, not for the
   * API audience, or names a service account that no longer exists (or was re-created with another uid).
   * Tokens that verified are remembered (LRU, `cacheSize` entries) so a repeat skips the HMAC and JSON
   * decode; every hit still checks expiry against the clock and reads the ServiceAccount's key, so a
   * deleted, terminating or re-created (other uid) account stops authenticating at once. Failures are not cached.
   */
  async verify(token: string): Promise<UserInfo | undefined> {
    const hit = this.verified.get(token);
    if (hit) {
      this.verified.delete(token);
      if (!(hit.exp > this.clock.now() / 1000)) return undefined;
      const kv = (await this.store.get(saKey(hit.namespace, hit.name))).kv;
      if (!kv || (kv.modRevision !== hit.saRevision && !liveAccount(kv.value, hit.uid))) return undefined;
      this.verified.set(token, { ...hit, saRevision: kv.modRevision });
      return serviceAccountUser(hit.namespace, hit.name, hit.uid);
    }
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const sig = fromBase64url(parts[2]);
    if (!sig || !bytesEqual(sig, hmacSha256(await this.signingKey(), enc.encode(`${parts[0]}.${parts[1]}`)))) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(new TextDecoder().decode(fromBase64url(parts[1]))) as TokenClaims;
    } catch {
      return undefined;
    }
    const now = this.clock.now() / 1000;
    if (!(claims.exp > now) || !claims.aud?.includes(API_AUDIENCE)) return undefined;
    const { namespace, serviceaccount } = claims['kubernetes.io'] ?? {};
    if (!namespace || !serviceaccount?.name) return undefined;
    const kv = (await this.store.get(saKey(namespace, serviceaccount.name))).kv;
    if (!kv || !liveAccount(kv.value, serviceaccount.uid)) return undefined;
    this.verified.set(token, { namespace, name: serviceaccount.name, uid: serviceaccount.uid, exp: claims.exp, saRevision: kv.modRevision });
    if (this.verified.size > this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
    return serviceAccountUser(namespace, serviceaccount.name, serviceaccount.uid);
  }
}

const saKey = (namespace: string, name: string) => `/registry/serviceaccounts/${namespace}/${name}`;

/** Whether the stored ServiceAccount is not terminating and has uid. */
function liveAccount(value: string, uid: string): boolean {
  const sa = JSON.parse(value) as ServiceAccount;
  return !sa.metadata?.deletionTimestamp && sa.metadata?.uid === uid;
}
