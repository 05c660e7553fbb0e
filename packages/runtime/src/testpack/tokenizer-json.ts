import { TEXT_TOKENS } from '../pack-format/index.js';
import { TESTPACK_NOTES } from './notes.js';

export const PAD_ID = 0;
export const EOS_ID = 1;
export const UNK_ID = 2;

/** Words the tokenizer knows that play nothing. */
export const FILLER_WORDS = ['a', 'the', 'soft', 'tone', 'of', 'rain', 'with', 'and', 'loud', 'quiet', 'warm', 'gentle', 'note', 'in'] as const;

/** Token ids: specials first, then the filler words, then the note words. */
export const TESTPACK_VOCABULARY: Readonly<Record<string, number>> = Object.fromEntries(
  ['<pad>', '<eos>', '<unk>', ...FILLER_WORDS, ...TESTPACK_NOTES.map((n) => n.word)].map((word, id) => [word, id]),
);

export const VOCABULARY_SIZE = Object.keys(TESTPACK_VOCABULARY).length;

export function tokenId(word: string): number {
  const id = TESTPACK_VOCABULARY[word];
  if (id === undefined) throw new RangeError(`"${word}" is not in the test pack vocabulary`);
  return id;
}

const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/**
 * An HF tokenizers file: WordLevel over the vocabulary, lowercase, whitespace split, and no
 * post-processor, so like T5Gemma's it adds no BOS/EOS.
 */
export function tokenizerJson(): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special('<pad>', PAD_ID), special('<eos>', EOS_ID), special('<unk>', UNK_ID)],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab: TESTPACK_VOCABULARY, unk_token: '<unk>' },
  };
}

/**
 * tokenizer_config.json beside it. tokenizers.js builds WordLevel models through its "legacy"
 * model, which takes the unknown token from this config rather than from tokenizer.json.
 */
export function tokenizerConfigJson(): object {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    model_max_length: TEXT_TOKENS,
    pad_token: '<pad>',
    eos_token: '<eos>',
    unk_token: '<unk>',
    padding_side: 'right',
  };
}
