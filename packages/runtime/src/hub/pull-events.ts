/** What a pull reports as it goes; the CLI draws a progress bar from these or prints them as JSON lines. */
export type PullEvent =
  | { readonly type: 'waiting'; readonly id: string; readonly pid: number | null }
  | { readonly type: 'already-installed'; readonly id: string; readonly dir: string }
  /** `checkpoint`: the files are a safetensors checkpoint that is converted into the pack after downloading. */
  | {
      readonly type: 'plan';
      readonly id: string;
      readonly files: number;
      readonly bytes: number;
      readonly bytesOnDisk: number;
      readonly checkpoint?: { readonly repo: string; readonly keep: boolean };
    }
  | { readonly type: 'file'; readonly path: string; readonly repo: string; readonly bytes: number; readonly resumeFrom: number }
  | { readonly type: 'progress'; readonly path: string; readonly done: number; readonly total: number }
  | { readonly type: 'retry'; readonly path: string; readonly bytesOnDisk: number; readonly attempt: number; readonly reason: string }
  | { readonly type: 'verified'; readonly path: string; readonly sha256: string }
  /** The checkpoint is downloaded and verified; conversion into ONNX starts. */
  | { readonly type: 'converting'; readonly id: string; readonly checkpointDir: string }
  /** Progress within one part of the conversion (textEncoder, dit, conditioner, encoder, decoder, check), in that order. */
  | { readonly type: 'convert-progress'; readonly part: string; readonly done: number; readonly total: number }
  /** After the pack is installed: the downloaded checkpoint was deleted, or kept (--keep-checkpoint) in `dir`. */
  | { readonly type: 'checkpoint-removed'; readonly bytes: number }
  | { readonly type: 'checkpoint-kept'; readonly dir: string; readonly bytes: number }
  | { readonly type: 'installed'; readonly id: string; readonly dir: string; readonly bytes: number };
