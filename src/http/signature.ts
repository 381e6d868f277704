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

/**
 * The request targets a signature may cover: the raw `path?query` as received
 * (Node, Python, Java) and the percent-decoded path with the raw query (Go).
 */
export function signedTargets(rawUrl: string): string[] {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);
  const targets = [rawUrl];
  // A bare trailing "?" is dropped by the SDKs before signing.
  if (q !== -1 && query === '') targets.push(path);
  try {
    const decoded = path
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    if (decoded !== path) targets.push(query ? `${decoded}?${query}` : decoded);
  } catch {
    // Not decodable: only the raw form can match.
  }
  return targets;
}
