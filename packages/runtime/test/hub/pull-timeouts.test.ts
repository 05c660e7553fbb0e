import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { pullPack } from '../../src/hub/pull-pack.js';
import type { PullEvent } from '../../src/hub/pull-events.js';
import type { FakeHub } from '../helpers/fake-hub.js';
import { listenOnLoopback, silentServer, stallingFileListHub } from '../helpers/quiet-servers.js';
import { HF_TOKEN, hubTestBed, installedDirs, OPTIMIZED, partialSize, publishedRepos, SMALL_MUSIC_REPO } from './hub-fixtures.js';

const { hub, home } = hubTestBed(publishedRepos, SMALL_MUSIC_REPO);

const STALLED_FILE = 'onnx/sa3-sm-music/dit.onnx.data';

/**
 * In front of the fake hub: passes every request through, but the downloads of one file send
 * their headers and then nothing more: after the first `sendBytes` bytes when the whole file is
 * asked for, at once when the rest of it is (a Range request). Counts those downloads.
 */
async function stallingProxy(upstream: FakeHub, sendBytes: number): Promise<{ endpoint: string; stalls: number; close(): Promise<void> }> {
  let stalls = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const headers: Record<string, string> = {};
      for (const name of ['range', 'authorization', 'accept']) if (req.headers[name]) headers[name] = String(req.headers[name]);
      const answer = await fetch(`${upstream.endpoint}${req.url}`, { headers, redirect: 'manual' });
      const bytes = new Uint8Array(await answer.arrayBuffer());
      const passed: Record<string, string> = {};
      for (const name of ['content-type', 'content-range', 'location', 'link', 'x-error-code']) {
        const value = answer.headers.get(name);
        if (value) passed[name] = value;
      }
      res.writeHead(answer.status, { ...passed, 'content-length': String(bytes.byteLength) });
      if (req.url?.includes(`/cdn/${OPTIMIZED}/${STALLED_FILE}`) && bytes.byteLength > sendBytes) {
        stalls++;
        if (req.headers.range) res.flushHeaders();
        else res.write(bytes.subarray(0, sendBytes));
        return;
      }
      res.end(bytes);
    })();
  });
  const listening = await listenOnLoopback(server);
  return {
    endpoint: listening.url,
    get stalls() {
      return stalls;
    },
    close: listening.close,
  };
}

describe('sa3 models pull from a hub that goes quiet', () => {
  it('a hub that accepts the connection and never answers: one sentence naming the host and the connect timeout', async () => {
    const silent = await silentServer();
    try {
      const sa3Home = await home();
      await expect(pullPack('small-music', { home: sa3Home, endpoint: silent.url, token: '', timeouts: { connectMs: 200 } })).rejects.toMatchObject({
        code: 'offline',
        message: `${silent.host} (HF_ENDPOINT) did not answer within 0.2 s (connect timeout) when asked for the revision main of ${OPTIMIZED}; pull again later, or download the files by hand and run "sa3 models import DIR"`,
      });
      expect(installedDirs(sa3Home)).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it('a file list that stops in the middle: one sentence naming the host and the idle timeout', async () => {
    const stalling = await stallingFileListHub();
    try {
      await expect(
        pullPack('small-music', { home: await home(), endpoint: stalling.url, token: '', timeouts: { connectMs: 5_000, idleMs: 200 } }),
      ).rejects.toMatchObject({
        code: 'download_failed',
        message: `${stalling.host} (HF_ENDPOINT) sent nothing for 0.2 s in the middle of its answer (idle timeout) when asked for the file list of ${OPTIMIZED}; pull again later, or download the files by hand and run "sa3 models import DIR"`,
      });
    } finally {
      await stalling.close();
    }
  });

  it('a download that stops in the middle gives up after its tries, keeps what came, and names the host and the idle timeout', async () => {
    const upstream = await hub();
    const proxy = await stallingProxy(upstream, 100_000);
    try {
      const sa3Home = await home();
      const events: PullEvent[] = [];
      const pulling = pullPack('small-music', {
        home: sa3Home,
        endpoint: proxy.endpoint,
        token: HF_TOKEN,
        maxAttempts: 2,
        timeouts: { connectMs: 10_000, idleMs: 300 },
        onEvent: (e) => events.push(e),
      });
      await expect(pulling).rejects.toMatchObject({
        code: 'download_failed',
        message: expect.stringMatching(
          new RegExp(
            `^the download of onnx/sa3-sm-music/dit\\.onnx\\.data from ${OPTIMIZED} broke off 2 times \\(idle timeout: 127\\.0\\.0\\.1:\\d+ sent nothing for 0\\.3 s in the middle of its answer\\) at 100000 of \\d+ bytes; run the pull again to resume from there$`,
          ),
        ) as unknown,
      });
      // The first try stalled at 100000 bytes; the second asked for the rest and stalled before sending any.
      expect(proxy.stalls).toBe(2);
      expect(events.filter((e) => e.type === 'retry')).toEqual([
        { type: 'retry', path: 'sa3-sm-music/dit.onnx.data', bytesOnDisk: 100_000, attempt: 1, reason: expect.stringMatching(/^idle timeout: /) as unknown },
      ]);
      expect(partialSize(sa3Home, 'small-music', 'sa3-sm-music/dit.onnx.data')).toBe(100_000);
      expect(installedDirs(sa3Home)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
