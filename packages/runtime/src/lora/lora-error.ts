export type LoraErrorCode =
  | 'unreadable'
  | 'no_lora_config'
  | 'bad_lora_config'
  | 'unknown_adapter_type'
  | 'unsupported'
  | 'bad_key'
  | 'unknown_layer'
  | 'shape_mismatch'
  | 'missing_tensor'
  | 'bad_strength';

/** A LoRA file or stack refused, with one sentence naming the file and what is wrong. */
export class LoraError extends Error {
  constructor(
    readonly code: LoraErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LoraError';
  }
}
