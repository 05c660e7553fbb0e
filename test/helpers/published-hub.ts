import { rm } from 'node:fs/promises';
import { catalogueEntry } from '@sa3/runtime';
import { writePublishedTestLayout } from '@sa3/runtime/testpack';
import { startFakeHub, type FakeHub } from '../../packages/runtime/test/helpers/fake-hub.js';
import { tempDir } from './cli.js';

export interface PublishedHub {
  readonly hub: FakeHub;
  /** Stops the hub, puts HF_ENDPOINT back and removes its files. */
  close(): Promise<void>;
}

/** A hub on 127.0.0.1 publishing a catalogue pack's test layout, with HF_ENDPOINT pointing at it until close(). */
export async function startPublishedHub(id = 'small-music'): Promise<PublishedHub> {
  const repos = await tempDir('sa3-hub-');
  await writePublishedTestLayout(repos, catalogueEntry(id), { ditExternalData: true });
  const hub = await startFakeHub({ root: repos });
  const previousEndpoint = process.env.HF_ENDPOINT;
  process.env.HF_ENDPOINT = hub.endpoint;
  return {
    hub,
    async close() {
      await hub.close();
      if (previousEndpoint === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = previousEndpoint;
      await rm(repos, { recursive: true, force: true });
    },
  };
}
