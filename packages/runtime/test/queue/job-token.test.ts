import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/workflow/index.js';
import { jobTokenDigest, jobTokenMatches, newJobToken } from '../../src/queue/job-token.js';
import { uploadIdsOf } from '../../src/queue/upload-sources.js';

describe('job tokens', () => {
  it('are 64 hex digits, different each time, and match only their own digest', () => {
    const [a, b] = [newJobToken(), newJobToken()];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    const digest = jobTokenDigest(a);
    expect(digest).not.toBe(a);
    expect(jobTokenMatches(digest, a)).toBe(true);
    expect(jobTokenMatches(digest, b)).toBe(false);
    expect(jobTokenMatches(digest, '')).toBe(false);
    expect(jobTokenMatches(digest, a.slice(0, 63))).toBe(false);
    // The digest itself is no token: whoever reads the server's record cannot present it.
    expect(jobTokenMatches(digest, digest)).toBe(false);
    expect(jobTokenMatches('not hex', a)).toBe(false);
  });
});

describe('the uploads a workflow reads', () => {
  const workflow = (sources: unknown[]): Workflow =>
    ({
      format: 'sa3-workflow',
      version: 1,
      nodes: sources.map((source, i) => ({ id: `n${i}`, type: 'audio.load', typeVersion: 1, params: { source } })),
      connections: [],
    }) as unknown as Workflow;

  it('are the ids of its upload: sources, each once, in order', () => {
    expect(
      uploadIdsOf(workflow(['upload:take.wav', 'UPLOAD:0a1b-c_d', 'upload:take.wav', 'take.wav', 'https://x/upload:y', 42, 'data:audio/wav;base64,AA'])),
    ).toEqual(['take.wav', '0a1b-c_d']);
  });

  it('leave out ids no upload can have', () => {
    expect(uploadIdsOf(workflow(['upload:../secret', 'upload:a/b', 'upload:', 'upload:a.b.c', ' upload:x']))).toEqual([]);
  });
});
