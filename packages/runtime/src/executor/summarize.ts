import { describeClip, type AudioClip, type Conditioning, type EncodedFile, type OutputSpecs } from '@sa3/nodes';
import type { OutputSummary } from './events.js';

/** What events and reports say about a node's outputs, by their declared socket types: sizes and levels, never the data. */
export function summarizeOutputs(outputs: Readonly<Record<string, unknown>>, sockets: OutputSpecs): OutputSummary {
  const summary: OutputSummary = {};
  for (const [name, value] of Object.entries(outputs)) {
    switch (sockets[name]?.type) {
      case 'audio':
        summary[name] = { type: 'audio', ...describeClip(value as AudioClip) };
        break;
      case 'file': {
        const file = value as EncodedFile;
        summary[name] = { type: 'file', mime: file.mime, extension: file.extension, bytes: file.bytes.byteLength };
        break;
      }
      case 'conditioning': {
        const conditioning = value as Conditioning;
        summary[name] = { type: 'conditioning', text: conditioning.text, model: conditioning.model };
        break;
      }
    }
  }
  return summary;
}
