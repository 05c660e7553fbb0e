import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a signed output URL works: an hour, as the hosted API's file links. */
export const SIGNED_URL_SECONDS = 3600;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'expired' | 'forged' };

/**
 * Signs file download links with a key made fresh for each server process, so a link is
 * unguessable, works only until its expiry and names exactly one file.
 */
export class UrlSigner {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  private signature(fileId: string, expiry: number): string {
    return createHmac('sha256', this.key).update(`${fileId}.${expiry}`).digest('base64url');
  }

  /** The query string (without "?") that lets anyone holding it download `fileId` until it expires. */
  sign(fileId: string): string {
    const expiry = Math.floor(this.now() / 1000) + SIGNED_URL_SECONDS;
    return `expiry=${expiry}&signature=${this.signature(fileId, expiry)}`;
  }

  /** An expired link is refused whatever its signature; a link whose signature is not ours, as forged. */
  check(fileId: string, expiry: string | undefined, signature: string | undefined): SignatureCheck {
    if (expiry === undefined || signature === undefined) return { ok: false, reason: 'missing' };
    if (!/^\d{1,12}$/.test(expiry)) return { ok: false, reason: 'forged' };
    if (Number(expiry) * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    const expected = Buffer.from(this.signature(fileId, Number(expiry)));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'forged' };
  }
}

const DOWNLOAD_PATH = /^\/v1\/files\/[A-Za-z0-9_-]{1,100}\/download$/;

/**
 * A request for a file download that carries a signature (checked by the route itself), which
 * the server's bearer token check lets through: a signed link works without the token.
 */
export function isSignedDownloadRequest(url: string): boolean {
  const [path, query = ''] = url.split('?', 2);
  if (!DOWNLOAD_PATH.test(path!)) return false;
  const params = new URLSearchParams(query);
  return params.has('expiry') && params.has('signature');
}
