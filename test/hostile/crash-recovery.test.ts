import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStateSchema, type RunState } from '@sa3/nodes';
import { silentServer } from '../../packages/runtime/test/helpers/quiet-servers.js';
import { readSse } from '../server/read-sse.js';
import { fileSet } from './file-set.js';
import { chordWav, isolatedDirs, localAndRemoteWorkflow, startSa3, startServe } from './sa3-process.js';
import { faultHarness, NO_TIMEOUTS, waitFor } from './fault-harness.js';

const { quiet, processes, sockets } = faultHarness();

/** Something a live process (this test) owns, named as sa3 names its temp files: it must survive every cleanup. */
function plantLive(path: string): void {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'in-use'), 'x');
}

describe('sa3 run killed with SIGKILL', () => {
  it('leaves its staging and temp folders; the next run removes them, and not those of a live process', async () => {
    const { home, tmp } = await isolatedDirs();
    const work = await mkdtemp(join(tmpdir(), 'sa3-hostile-kill-'));
    const out = join(work, 'out');
    const remote = await silentServer();
    quiet.push(remote);
    await writeFile(join(work, 'stalls.json'), JSON.stringify(localAndRemoteWorkflow(chordWav, `${remote.url}/never.wav`)));
    const killed = startSa3(['run', join(work, 'stalls.json'), '--json', '--out', out], { SA3_HOME: home, TMPDIR: tmp, ...NO_TIMEOUTS });
    processes.push(killed);
    const start = JSON.parse(await killed.line(/"type":"run-start"/)) as { runId: string };
    await killed.line(/"type":"node-done".*"node":"save-local"/);
    await remote.arrival(1);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const staging = `.sa3-staging-${killed.pid}-${start.runId}`;
    expect(fileSet(out)).toEqual([`${staging}/`, `${staging}/0-save-local`]);
    expect(fileSet(tmp)).toEqual([expect.stringMatching(new RegExp(`^sa3-audio-${killed.pid}-\\w+/$`))]);
    const live = process.pid;
    plantLive(join(out, `.sa3-staging-${live}-another-run`));
    plantLive(join(tmp, `sa3-audio-${live}-Xy12Ab`));

    const quick = {
      format: 'sa3-workflow',
      version: 1,
      nodes: [
        { id: 'local', type: 'audio.load', typeVersion: 1, params: { source: chordWav } },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'after.{ext}' } },
      ],
      connections: [{ from: ['local', 'audio'], to: ['save', 'audio'] }],
    };
    await writeFile(join(work, 'quick.json'), JSON.stringify(quick));
    const next = startSa3(['run', join(work, 'quick.json'), '--json', '--out', out], { SA3_HOME: home, TMPDIR: tmp });
    processes.push(next);
    expect((await next.exited).code).toBe(0);
    const done = JSON.parse(await next.line(/"type":"run-done"/)) as { runId: string };

    expect(fileSet(out)).toEqual([`.sa3-staging-${live}-another-run/`, `.sa3-staging-${live}-another-run/in-use`, `${done.runId}.report.json`, 'after.wav']);
    expect(fileSet(tmp)).toEqual([`sa3-audio-${live}-Xy12Ab/`, `sa3-audio-${live}-Xy12Ab/in-use`]);
  });
});

describe('sa3 serve killed with SIGKILL in the middle of a run', () => {
  it('after a restart the run is reported as interrupted with the reason, and what the killed server left is gone', async () => {
    const { home, tmp } = await isolatedDirs();
    // The cache on, so the server takes part in it and its .tmp files are cleaned after a kill.
    const env = { SA3_HOME: home, TMPDIR: tmp, SA3_CACHE: 'on', ...NO_TIMEOUTS };
    const remote = await silentServer();
    quiet.push(remote);
    const first = await startServe(env);
    processes.push(first.sa3);
    const outputs = join(home, 'outputs');
    const uploads = join(home, 'uploads');

    const submitted = await fetch(`${first.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: localAndRemoteWorkflow('audio/chord.wav', `${remote.url}/never.wav`) }),
    });
    expect(submitted.status).toBe(202);
    const { id } = runStateSchema.parse(await submitted.json());
    await remote.arrival(1);
    const staging = `.sa3-staging-${first.sa3.pid}-${id}`;
    await waitFor('the local branch to be staged', () => existsSync(join(outputs, id, staging, '0-save-local')));
    // An upload the client stopped sending in the middle of.
    const { hostname, port } = new URL(first.url);
    const upload = connect(Number(port), hostname);
    upload.on('error', () => undefined);
    sockets.push(upload);
    upload.write(`POST /api/uploads?name=half.wav HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: audio/wav\r\ncontent-length: 1000000\r\n\r\n`);
    upload.write(Buffer.alloc(1000, 1));
    await waitFor('the upload to reach the disk', () => readdirSync(uploads).some((n) => n.endsWith('.partial')));

    first.sa3.child.kill('SIGKILL');
    expect(await first.sa3.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const dead = first.sa3.pid;

    // What the killed server left: its run in the journal, the run's staging folder, the download's
    // temp folder, the partial upload; besides, a cache file half written and the pack staging of a
    // killed testpack and import (put here, as no test can stop those at a chosen moment).
    expect(fileSet(outputs)).toEqual(['.sa3-runs/', `.sa3-runs/${id}.json`, `${id}/`, `${id}/${staging}/`, `${id}/${staging}/0-save-local`]);
    expect(fileSet(tmp)).toEqual([expect.stringMatching(new RegExp(`^sa3-audio-${dead}-\\w+/$`))]);
    expect(fileSet(uploads)).toEqual([expect.stringMatching(new RegExp(`^\\.[0-9a-f]{16}\\.wav\\.${dead}\\.partial$`))]);
    expect(fileSet(join(home, 'cache'))).toEqual(['.users/', `.users/${dead}`]);
    mkdirSync(join(home, 'cache', 'results', 'v1'), { recursive: true });
    writeFileSync(join(home, 'cache', 'results', 'v1', '.0f1e2d3c.a1b2c3d4.tmp'), 'half');
    plantLive(join(home, 'staging', `.testpack-${dead}-sa3-test-0a1b2c3d`));
    plantLive(join(home, 'staging', '.import-small-music-0a1b2c3d'));
    // And what live processes (this test) use, which must all stay.
    const live = process.pid;
    plantLive(join(outputs, 'other-run', `.sa3-staging-${live}-other-run`));
    plantLive(join(tmp, `sa3-audio-${live}-Xy12Ab`));
    plantLive(join(home, 'staging', `.testpack-${live}-mine-0a1b2c3d`));

    const second = await startServe(env);
    processes.push(second.sa3);
    const state = await fetch(`${second.url}/api/runs/${id}`);
    expect(state.status).toBe(200);
    const run: RunState = runStateSchema.parse(await state.json());
    const reason = `the server (pid ${dead}) stopped while this run was running, killed or crashed before it could finish it; nothing was written to its output folder, so run it again`;
    expect(run).toMatchObject({
      id,
      status: 'interrupted',
      outputs: [],
      report: { status: 'failed', error: { code: 'run_interrupted', kind: 'run', message: reason } },
    });
    const listed = (await (await fetch(`${second.url}/api/runs`)).json()) as unknown[];
    expect(listed.map((r) => runStateSchema.parse(r)).map((r) => [r.id, r.status])).toEqual([[id, 'interrupted']]);
    const events = await readSse(await fetch(`${second.url}/api/runs/${id}/events`));
    expect(events.map((e) => e.event)).toEqual(['run-error']);
    expect(second.sa3.stderr()).toContain(`sa3 serve: runs interrupted when a server using ${outputs} stopped: ${id}\n`);

    expect(fileSet(outputs)).toEqual([
      '.sa3-runs/',
      `.sa3-runs/${id}.json`,
      `${id}/`,
      'other-run/',
      `other-run/.sa3-staging-${live}-other-run/`,
      `other-run/.sa3-staging-${live}-other-run/in-use`,
    ]);
    expect(fileSet(tmp)).toEqual([`sa3-audio-${live}-Xy12Ab/`, `sa3-audio-${live}-Xy12Ab/in-use`]);
    expect(fileSet(uploads)).toEqual([]);
    expect(fileSet(join(home, 'cache'))).toEqual(['.users/', `.users/${second.sa3.pid}`, 'results/', 'results/v1/']);
    expect(fileSet(join(home, 'staging'))).toEqual([`.testpack-${live}-mine-0a1b2c3d/`, `.testpack-${live}-mine-0a1b2c3d/in-use`]);

    // Stopped cleanly and started again, the server still reports the run the same way.
    second.sa3.child.kill('SIGTERM');
    expect((await second.sa3.exited).code).toBe(0);
    const third = await startServe(env);
    processes.push(third.sa3);
    const again = runStateSchema.parse(await (await fetch(`${third.url}/api/runs/${id}`)).json());
    expect(again).toEqual(run);
    third.sa3.child.kill('SIGTERM');
    expect((await third.sa3.exited).code).toBe(0);
  });
});
