import { describeClip, type AudioClip, type Conditioning, type EncodedFile } from '@sa3/nodes';
import type { OutputSummary } from './events.js';

/** What events and reports say about a node's outputs: sizes and levels, never the data. */
export function summarizeOutputs(outputs: Readonly<Record<string, unknown>>): OutputSummary {
  const summary: OutputSummary = {};
  for (const [name, value] of Object.entries(outputs)) {
    const v = value as Partial<AudioClip & EncodedFile & Conditioning>;
    if (v.channels) summary[name] = { type: 'audio', ...describeClip(v as AudioClip) };
    else if (v.bytes) summary[name] = { type: 'file', mime: v.mime, extension: v.extension, bytes: v.bytes.byteLength };
    else if (typeof v.text === 'string') summary[name] = { type: 'conditioning', text: v.text, model: v.model };
  }
  return summary;
}
