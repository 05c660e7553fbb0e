import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSignedDownloadRequest, UrlSigner, SIGNED_URL_SECONDS } from '../../../src/server/replicate/signed-url.js';
import { newWebhookSecret, webhookHeaders } from '../../../src/server/replicate/webhook-signing.js';
import { preferredWait } from '../../../src/server/replicate/prefer-wait.js';
import { scrubPaths } from '../../../src/server/scrub-paths.js';
import { sseEvent } from '../../../src/server/replicate/sse-stream.js';

describe('signed download links', () => {
  it('work for their file until they expire; another file, another key or a changed expiry fails', () => {
    let now = 1_700_000_000_000;
    const signer = new UrlSigner(() => now);
    const params = new URLSearchParams(signer.sign('abc-output'));
    const [expiry, signature] = [params.get('expiry')!, params.get('signature')!];
    expect(Number(expiry)).toBe(now / 1000 + SIGNED_URL_SECONDS);
    expect(signer.check('abc-output', expiry, signature)).toEqual({ ok: true });
    expect(signer.check('abd-output', expiry, signature)).toEqual({ ok: false, reason: 'forged' });
    expect(new UrlSigner(() => now).check('abc-output', expiry, signature)).toEqual({ ok: false, reason: 'forged' });
    expect(signer.check('abc-output', String(Number(expiry) + 1), signature)).toEqual({ ok: false, reason: 'forged' });
    expect(signer.check('abc-output', undefined, signature)).toEqual({ ok: false, reason: 'missing' });
    now += SIGNED_URL_SECONDS * 1000;
    expect(signer.check('abc-output', expiry, signature)).toEqual({ ok: false, reason: 'expired' });
  });

  it('only a download path with both expiry and signature passes the token check', () => {
    expect(isSignedDownloadRequest('/v1/files/abc-output/download?expiry=1&signature=x')).toBe(true);
    expect(isSignedDownloadRequest('/v1/files/abc-output/download?expiry=1')).toBe(false);
    expect(isSignedDownloadRequest('/v1/files/abc-output?expiry=1&signature=x')).toBe(false);
    expect(isSignedDownloadRequest('/v1/predictions?expiry=1&signature=x')).toBe(false);
    expect(isSignedDownloadRequest('/v1/files/../predictions/download?expiry=1&signature=x')).toBe(false);
  });
});

describe('webhook signatures', () => {
  it('are HMAC-SHA256 of "id.timestamp.body" under the secret after "whsec_", in base64, as "v1,<signature>"', () => {
    const secret = newWebhookSecret();
    expect(secret.key).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = webhookHeaders(secret, 'msg_1', '{"id":"p"}', 1_700_000_000_500);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe('1700000000');
    const expected = createHmac('sha256', Buffer.from(secret.key.slice('whsec_'.length), 'base64'))
      .update('msg_1.1700000000.{"id":"p"}')
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });
});

describe('Prefer: wait', () => {
  it('is 60 s bare, N with wait=N (1-60), absent otherwise, and a sentence when out of range', () => {
    expect(preferredWait(undefined)).toBeNull();
    expect(preferredWait('respond-async')).toBeNull();
    expect(preferredWait('wait')).toBe(60);
    expect(preferredWait('wait=5')).toBe(5);
    expect(preferredWait('return=minimal, wait=60')).toBe(60);
    expect(preferredWait('wait=61')).toEqual({ error: "the Prefer header's wait=61 must be a whole number of seconds from 1 to 60" });
    expect(preferredWait('wait=1.5')).toHaveProperty('error');
  });
});

describe('text for clients', () => {
  it('cuts absolute server paths down to their file names, and leaves URLs and relative names alone', () => {
    expect(scrubPaths('could not read /home/me/.sa3/uploads/abc.wav: no such file')).toBe('could not read abc.wav: no such file');
    expect(scrubPaths('source: "/tmp/sa3-audio-1/in.wav" is empty')).toBe('source: "in.wav" is empty');
    expect(scrubPaths('fetching http://127.0.0.1:7860/v1/files/x failed')).toBe('fetching http://127.0.0.1:7860/v1/files/x failed');
    expect(scrubPaths('sampler: step 3/8')).toBe('sampler: step 3/8');
  });

  it('stream events carry event and id lines, and one data line per line of data', () => {
    expect(sseEvent('logs', 3, 'a\nb')).toBe('event: logs\nid: 3\ndata: a\ndata: b\n\n');
    expect(sseEvent('done', 4, '{}')).toBe('event: done\nid: 4\ndata: {}\n\n');
  });
});
