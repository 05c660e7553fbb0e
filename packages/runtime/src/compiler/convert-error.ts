export type ConvertErrorCode =
  | 'config_invalid'
  | 'tensor_missing'
  | 'tensor_shape'
  | 'tensor_unexpected'
  | 'checkpoint_unreadable'
  | 'tensor_out_of_range'
  | 'output_exists'
  | 'check_failed';

/** One clear sentence about why a checkpoint cannot be converted, naming the tensor or config key. */
export class ConvertError extends Error {
  constructor(
    readonly code: ConvertErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConvertError';
  }
}
