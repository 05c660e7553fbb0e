import type { AnyNodeDefinition } from '../node-definition.js';
import { sa3Prompt } from './sa3-prompt.js';
import { sa3Model } from './sa3-model.js';
import { sa3Lora } from './sa3-lora.js';
import { sa3Generate } from './sa3-generate.js';
import { sa3Edit } from './sa3-edit.js';
import { sa3Inpaint } from './sa3-inpaint.js';
import { sa3Extend } from './sa3-extend.js';
import { sa3Loop } from './sa3-loop.js';
import { audioLoad } from './audio-load.js';
import { audioConvert } from './audio-convert.js';
import { audioSave } from './audio-save.js';
import { audioTrim } from './audio-trim.js';
import { audioConcat } from './audio-concat.js';
import { audioGain } from './audio-gain.js';
import { audioNormalize } from './audio-normalize.js';
import { audioFade } from './audio-fade.js';
import { audioLoudness } from './audio-loudness.js';

/** Every node type, in the order the editor's palette shows them. */
export const nodeCatalogue: readonly AnyNodeDefinition[] = [
  sa3Prompt,
  sa3Generate,
  sa3Edit,
  sa3Inpaint,
  sa3Extend,
  sa3Loop,
  sa3Model,
  sa3Lora,
  audioLoad,
  audioConvert,
  audioSave,
  audioTrim,
  audioConcat,
  audioGain,
  audioNormalize,
  audioFade,
  audioLoudness,
];

const byType = new Map(nodeCatalogue.map((definition) => [definition.type, definition]));

export function getNodeDefinition(type: string): AnyNodeDefinition | undefined {
  return byType.get(type);
}
