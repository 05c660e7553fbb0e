/**
 * The part of @huggingface/tokenizers the runtime uses, as the package declares it. The package's
 * own declarations import their files without extensions, which NodeNext resolution cannot follow
 * inside an ES module package: left to them, Tokenizer and everything it returns are unresolved.
 */
declare module '@huggingface/tokenizers' {
  export interface Encoding {
    ids: number[];
    tokens: string[];
    attention_mask: number[];
    token_type_ids?: number[];
  }

  export interface EncodeOptions {
    text_pair?: string | null;
    add_special_tokens?: boolean;
    return_token_type_ids?: boolean | null;
  }

  export class Tokenizer {
    /** The parsed tokenizer.json and tokenizer_config.json. */
    constructor(tokenizer: object, config: object);
    encode(text: string, options?: EncodeOptions): Encoding;
  }
}
