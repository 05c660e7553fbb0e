import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { PackError } from '../pack-format/index.js';

export interface TokenizedPrompt {
  readonly ids: BigInt64Array;
  readonly mask: BigInt64Array;
  /** Real tokens before padding (0 for an empty prompt). */
  readonly tokens: number;
}

/**
 * The pack's tokenizer.json, used as the official conditioner does: no BOS/EOS, right-truncated
 * and right-padded with id 0 to the pack's max tokens.
 */
export class PromptTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxTokens: number,
  ) {}

  static async load(path: string, maxTokens: number): Promise<PromptTokenizer> {
    try {
      const json = JSON.parse(await readFile(path, 'utf8')) as object;
      // tokenizer_config.json beside it names the special tokens some models need (unk, pad).
      const config = await readFile(join(dirname(path), 'tokenizer_config.json'), 'utf8')
        .then((t) => JSON.parse(t) as object)
        .catch(() => ({}));
      return new PromptTokenizer(new Tokenizer(json, config), maxTokens);
    } catch (error) {
      throw new PackError('tokenizer_invalid', `${path} is not a usable tokenizer.json: ${(error as Error).message}`, path);
    }
  }

  encode(text: string): TokenizedPrompt {
    const raw = this.tokenizer.encode(text, { add_special_tokens: false }).ids.slice(0, this.maxTokens);
    if (raw.some((id: number | undefined) => !Number.isInteger(id)))
      throw new Error(`the tokenizer has no id for a word of ${JSON.stringify(text.slice(0, 60))} and no unknown token`);
    const ids = new BigInt64Array(this.maxTokens);
    const mask = new BigInt64Array(this.maxTokens);
    raw.forEach((id: number, i: number) => {
      ids[i] = BigInt(id);
      mask[i] = 1n;
    });
    // An all-zero mask makes the encoder's softmax 0/0 = NaN; like the official MLX port,
    // an empty prompt attends to its first (pad) position instead.
    if (raw.length === 0) mask[0] = 1n;
    return { ids, mask, tokens: raw.length };
  }
}
