import { defineNode } from '../node-definition.js';

export const audioLoad = defineNode({
  type: 'audio.load',
  typeVersion: 1,
  title: 'Load audio',
  category: 'Audio I/O',
  description:
    'Reads audio in any format ffmpeg decodes and conforms it to 44.1 kHz stereo float32 (mono is copied to both channels, more channels are downmixed).',
  inputs: {},
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    source: {
      kind: 'audioSource',
      label: 'Source',
      description: 'A file path (relative to the workflow file), an http(s) URL, a data: URI or an uploaded file id.',
    },
  },
  fingerprint: (params, services) => services.audio.fingerprint(params.source),
  async run({ params, services, signal }) {
    return { audio: await services.audio.load(params.source, signal) };
  },
});
