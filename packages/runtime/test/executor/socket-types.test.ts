import type { AudioClip, OutputSpecs } from '@sa3/nodes';
import { describe, expect, it } from 'vitest';
import { ResultCache } from '../../src/executor/index.js';
import { summarizeOutputs } from '../../src/executor/summarize.js';

const audio: AudioClip = { sampleRate: 44_100, channels: [new Float32Array(4410), new Float32Array(4410)] };

describe('outputs are handled by their declared socket type', () => {
  it('summarizes audio, files and conditioning by socket type, not by what the value looks like', () => {
    const sockets: OutputSpecs = {
      audio: { type: 'audio', label: 'Audio' },
      file: { type: 'file', label: 'File' },
      prompt: { type: 'conditioning', label: 'Prompt' },
    };
    // A conditioning that happens to carry a `channels` field too is still a conditioning.
    const prompt = { text: 'rain', model: 'small-music', channels: [new Float32Array(2)] };
    const file = { bytes: new Uint8Array(5), mime: 'audio/wav', extension: 'wav' };
    expect(summarizeOutputs({ audio, file, prompt }, sockets)).toEqual({
      audio: { type: 'audio', frames: 4410, seconds: 0.1, sampleRate: 44_100, channels: 2, peak: 0 },
      file: { type: 'file', mime: 'audio/wav', extension: 'wav', bytes: 5 },
      prompt: { type: 'conditioning', text: 'rain', model: 'small-music' },
    });
  });

  it('counts the samples of declared audio against the memory budget', () => {
    const bytesOfAudio = 2 * 4410 * 4;
    const cache = new ResultCache(bytesOfAudio + 256 + 100);
    cache.set('a', { audio }, { audio: { type: 'audio', label: 'Audio' } });
    expect(cache.size).toBe(1);
    cache.set('b', { audio }, { audio: { type: 'audio', label: 'Audio' } });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
  });
});
