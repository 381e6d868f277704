import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * SuprSend's request signature, as every server SDK computes it:
 * base64(HMAC-SHA256(secret, METHOD\nmd5hex(body)|""\nContent-Type\nDate\nrequest-target)).
 */
export function requestSignature(
  secret: string,
  parts: { method: string; body: Buffer | undefined; contentType: string; date: string; target: string },
): string {
  const md5 = parts.body && parts.body.length > 0 ? createHash('md5').update(parts.body).digest('hex') : '';
  const toSign = `${parts.method.toUpperCase()}\n${md5}\n${parts.contentType}\n${parts.date}\n${parts.target}`;
  return createHmac('sha256', secret).update(toSign, 'utf8').digest('base64');
}

/** Constant-time string comparison (the length of a signature is public). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** Characters that, decoded out of a path segment, change how the target routes: segment, query, fragment, escape. */
const STRUCTURAL = /[/?#%]/;

/**
 * The request targets a signature may cover: the raw `path?query` as received
 * (Node, Python, Java) and the percent-decoded path with the raw query (Go,
 * which sends `/v1/user/a%2Fb/` but signs `/v1/user/a/b/`).
 *
 * The decoded target is itself a request target that another client may have
 * signed, for the resource *it* names. When decoding only turns escapes into
 * plain characters (`%20` → space) both name the same resource. When it
 * brings out a "/", "?", "#" or "%" (as `%2F` does) they may not:
 * `/v1/user/alice%2Fsubscribed_to%2Flist/` decodes to the target of alice's
 * subscription list. Then the decoded target is offered only if `isServed`
 * says no route serves it, so that no signature made for a served request
 * can open another one. Without `isServed`, every path counts as unserved.
 */
export function signedTargets(rawUrl: string, isServed: (target: string) => boolean = () => false): string[] {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);
  const targets = [rawUrl];
  // A bare trailing "?" is dropped by the SDKs before signing.
  if (q !== -1 && query === '') targets.push(path);
  let segments: string[];
  try {
    segments = path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    // Not decodable: only the raw form can match.
    return targets;
  }
  const decoded = segments.join('/');
  if (decoded === path) return targets;
  const target = query ? `${decoded}?${query}` : decoded;
  if (segments.some((s) => STRUCTURAL.test(s)) && isServed(target)) return targets;
  targets.push(target);
  return targets;
}
