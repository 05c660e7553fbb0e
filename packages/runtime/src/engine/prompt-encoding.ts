import * as ort from './onnxruntime.js';
import { NodeError } from '@sa3/nodes';
import type { GraphSession } from './graph-session.js';
import type { PromptTokenizer } from './tokenizer.js';

/** What an encoded prompt carries inside a Conditioning: the text encoder's rows and which are real. */
export interface EncodedPrompt {
  readonly packId: string;
  /** [maxTokens, hidden] row-major. */
  readonly hidden: Float32Array;
  /** 1 for a real token row, 0 for padding (maxTokens). */
  readonly mask: Float32Array;
}

export async function encodePromptText(text: string, packId: string, tokenizer: PromptTokenizer, encoder: GraphSession): Promise<EncodedPrompt> {
  const { ids, mask } = tokenizer.encode(text);
  const shape = [1, tokenizer.maxTokens];
  const { hidden_states: hidden } = await encoder.run({ input_ids: new ort.Tensor('int64', ids, shape), attention_mask: new ort.Tensor('int64', mask, shape) });
  const rows = hidden!.data as Float32Array;
  for (const value of rows) {
    if (!Number.isFinite(value))
      throw new NodeError('text_encoder_nan', `the text encoder returned NaN or infinity for the prompt ${JSON.stringify(text.slice(0, 60))}`, {
        param: 'text',
      });
  }
  return { packId, hidden: rows, mask: Float32Array.from(mask, (v) => Number(v)) };
}
