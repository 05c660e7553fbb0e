export type PackErrorCode =
  | 'pack_not_found'
  | 'manifest_invalid'
  | 'file_missing'
  | 'file_size_mismatch'
  | 'file_corrupt'
  | 'graph_missing'
  | 'graph_mismatch'
  | 'graph_unloadable'
  | 'tokenizer_invalid'
  | 'model_not_installed'
  | 'pack_damaged'
  | 'unknown_pack'
  | 'not_pullable'
  | 'offline'
  | 'gated'
  | 'remote_missing'
  | 'http_error'
  | 'download_failed'
  | 'convert_failed'
  | 'disk_full'
  | 'pack_exists'
  | 'import_unmatched'
  | 'not_removable'
  | 'invalid_pack_id';

/** One clear sentence about what is wrong with a model pack, naming the file or field. */
export class PackError extends Error {
  constructor(
    readonly code: PackErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'PackError';
  }
}
