import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentServer } from '../../packages/runtime/test/helpers/quiet-servers.js';
import { fileSet } from './file-set.js';
import { chordWav, isolatedDirs, localAndRemoteWorkflow, startSa3, startServe } from './sa3-process.js';
import { faultHarness, NO_TIMEOUTS, waitFor } from './fault-harness.js';

/** The property asked of every stop: the process exits on its own before this kill timer fires. */
const EXIT_WITHIN_MS = 5_000;

const { quiet, processes, sockets } = faultHarness();

/** A client that starts a 1 MB upload, sends 1000 bytes and then nothing more. */
function stalledUpload(url: string): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.write(`POST /api/uploads?name=stalled.wav HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: audio/wav\r\ncontent-length: 1000000\r\n\r\n`);
  socket.write(Buffer.alloc(1000, 1));
  sockets.push(socket);
  return socket;
}

/** A client that sends half of its request's headers and then nothing more. */
function stalledHeaders(url: string): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.write(`GET /health-check HTTP/1.1\r\nhost: ${hostname}\r\nx-slow`);
  sockets.push(socket);
  return socket;
}

const closed = (socket: Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('sa3 run stopped by a signal in the middle of a run', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s: cancels, removes its staging folder and temp folder, and exits %i within 5 s', async (signal, code) => {
    const { home, tmp } = await isolatedDirs();
    const work = await mkdtemp(join(tmpdir(), 'sa3-hostile-run-'));
    const out = join(work, 'out');
    const remote = await silentServer();
    quiet.push(remote);
    await writeFile(join(work, 'wf.json'), JSON.stringify(localAndRemoteWorkflow(chordWav, `${remote.url}/never.wav`)));
    const run = startSa3(['run', join(work, 'wf.json'), '--json', '--out', out], { SA3_HOME: home, TMPDIR: tmp, ...NO_TIMEOUTS });
    processes.push(run);
    const start = JSON.parse(await run.line(/"type":"run-start"/)) as { runId: string };
    await run.line(/"type":"node-done".*"node":"save-local"/);
    await remote.arrival(1);

    // Before: the local branch's file waits in the staging folder, the download in its temp folder.
    const staging = `.sa3-staging-${run.pid}-${start.runId}`;
    expect(fileSet(out)).toEqual([`${staging}/`, `${staging}/0-save-local`]);
    const temp = fileSet(tmp);
    expect(temp).toHaveLength(1);
    expect(temp[0]).toMatch(new RegExp(`^sa3-audio-${run.pid}-\\w+/$`));

    run.child.kill(signal);
    const exit = await run.exitWithin(EXIT_WITHIN_MS);
    expect(exit).toEqual({ code, signal: null, killed: false });
    const events = run
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string });
    expect(events.at(-1)?.type).toBe('run-cancelled');
    // After: nothing in the output folder, nothing in the temp dir.
    expect(fileSet(out)).toEqual([]);
    expect(fileSet(tmp)).toEqual([]);
  });
});

describe('sa3 serve stopped by a signal', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s with a running run, an SSE listener, a stalled upload and a client stalled in its headers: cancels the run, closes every connection, removes its files and exits 0 within 5 s',
    async (signal) => {
      const { home, tmp } = await isolatedDirs();
      const remote = await silentServer();
      quiet.push(remote);
      const { sa3, url } = await startServe({ SA3_HOME: home, TMPDIR: tmp, ...NO_TIMEOUTS });
      processes.push(sa3);
      const outputs = join(home, 'outputs');
      const uploads = join(home, 'uploads');

      const submitted = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: localAndRemoteWorkflow('audio/chord.wav', `${remote.url}/never.wav`) }),
      });
      expect(submitted.status).toBe(202);
      const { id } = (await submitted.json()) as { id: string };
      const events = fetch(`${url}/api/runs/${id}/events`).then((r) => r.text());
      events.catch(() => undefined); // awaited below; a failing test must not leave it unhandled
      await remote.arrival(1);
      const staging = `.sa3-staging-${sa3.pid}-${id}`;
      await waitFor('the local branch to be staged', () => existsSync(join(outputs, id, staging, '0-save-local')));
      const upload = stalledUpload(url);
      const headers = stalledHeaders(url);
      const partial = await waitFor('the stalled upload to reach the disk', () => readdirSync(uploads).find((n) => n.endsWith('.partial')));
      expect(partial).toMatch(new RegExp(`^\\.[0-9a-f]{16}\\.wav\\.${sa3.pid}\\.partial$`));
      expect(fileSet(outputs)).toEqual(['.sa3-runs/', `.sa3-runs/${id}.json`, `${id}/`, `${id}/${staging}/`, `${id}/${staging}/0-save-local`]);
      expect(fileSet(tmp)).toEqual([expect.stringMatching(new RegExp(`^sa3-audio-${sa3.pid}-\\w+/$`))]);

      sa3.child.kill(signal);
      const exit = await sa3.exitWithin(EXIT_WITHIN_MS);
      expect(exit).toEqual({ code: 0, signal: null, killed: false });
      expect(sa3.stderr()).toContain(`sa3 serve: ${signal}: stopping, cancelling 1 run(s)\n`);
      // The SSE listener saw the run cancelled and its stream end; the stalled clients were disconnected.
      const streamed = await events;
      expect(streamed).toContain('event: run-cancelled');
      await closed(upload);
      await closed(headers);
      // Nothing the server made is left but the cancelled run's empty folder: no staging folder, partial upload or temp folder.
      expect(fileSet(outputs)).toEqual(['.sa3-runs/', `${id}/`]);
      expect(fileSet(uploads)).toEqual([]);
      expect(fileSet(tmp)).toEqual([]);
    },
  );
});
