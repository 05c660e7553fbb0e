import { defineNode, type EncodeOptions } from '../node-definition.js';

export const audioConvert = defineNode({
  type: 'audio.convert',
  typeVersion: 2,
  title: 'Convert',
  category: 'Audio I/O',
  description: 'Encodes audio to a file format: WAV (16-bit, 24-bit or 32-bit float), MP3, FLAC or Ogg Vorbis.',
  inputs: { audio: { type: 'audio', label: 'Audio' } },
  outputs: { file: { type: 'file', label: 'File' } },
  params: {
    format: { kind: 'enum', label: 'Format', options: ['wav', 'mp3', 'flac', 'ogg'], default: 'wav', description: 'Output file format.' },
    wav_bit_depth: {
      kind: 'enum',
      label: 'WAV bit depth',
      options: ['16', '24', '32f'],
      default: '16',
      onlyWhen: { format: ['wav'] },
      description: 'Sample format of WAV output: 16-bit or 24-bit integer, or 32-bit float.',
    },
    mp3_bitrate: {
      kind: 'enum',
      label: 'MP3 bitrate',
      unit: 'kbps',
      options: [64, 96, 128, 160, 192, 224, 256, 320],
      default: 192,
      onlyWhen: { format: ['mp3'] },
      description: 'Constant bitrate of MP3 output, in kbit/s.',
    },
    flac_compression: {
      kind: 'number',
      label: 'FLAC compression',
      integer: true,
      min: 0,
      max: 12,
      default: 5,
      onlyWhen: { format: ['flac'] },
      description: 'FLAC compression level: higher is smaller and slower; the audio is identical.',
    },
    ogg_quality: {
      kind: 'number',
      label: 'Ogg quality',
      min: 0,
      max: 10,
      default: 5,
      step: 0.5,
      onlyWhen: { format: ['ogg'] },
      description: 'Vorbis quality level from 0 (smallest) to 10 (best).',
    },
  },
  migrations: {
    // Version 1 spoke the hosted model's schema: only `output_format`, wav or mp3.
    1: ({ output_format, ...rest }) => ({ ...rest, ...(output_format === undefined ? {} : { format: output_format }) }),
  },
  async run({ params, inputs, services, signal }) {
    const options: EncodeOptions = (() => {
      switch (params.format) {
        case 'mp3':
          return { format: 'mp3', bitrateKbps: params.mp3_bitrate };
        case 'flac':
          return { format: 'flac', compressionLevel: params.flac_compression };
        case 'ogg':
          return { format: 'ogg', quality: params.ogg_quality };
        default:
          return { format: 'wav', bitDepth: params.wav_bit_depth };
      }
    })();
    return { file: await services.audio.encode(inputs.audio, options, signal) };
  },
});
