import { defineNode } from '../node-definition.js';

export const audioSave = defineNode({
  type: 'audio.save',
  typeVersion: 1,
  title: 'Save',
  category: 'Audio I/O',
  description:
    'Marks a workflow output: writes the file (or the audio as 24-bit WAV) into the output directory, with the workflow embedded so the file can be dropped back into the editor, ' +
    'and the loudness audio.loudness measured (ReplayGain 2.0 tags in MP3, FLAC and Ogg; a bext chunk in WAV).',
  isOutput: true,
  inputs: {
    file: { type: 'file', label: 'File', optional: true },
    audio: { type: 'audio', label: 'Audio', optional: true },
  },
  requireOneInputOf: ['file', 'audio'],
  outputs: {},
  params: {
    filename: {
      kind: 'filename',
      label: 'File name',
      default: '{workflow}-{node}.{ext}',
      description:
        'Name inside the output directory. Tokens: {workflow}, {node}, {run}, {date}, {time}, {seed}, {ext}. An existing file is never overwritten: a number is added instead.',
    },
  },
  async run({ params, inputs, services, signal, emitFile }) {
    const file = inputs.file ?? (await services.audio.encode(inputs.audio!, { format: 'wav', bitDepth: '24' }, signal));
    emitFile({ file, filenamePattern: params.filename });
    return {};
  },
});
