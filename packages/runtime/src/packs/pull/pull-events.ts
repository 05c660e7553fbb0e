/** What a pull reports as it goes; the CLI draws a progress bar from these or prints them as JSON lines. */
export type PullEvent =
  | { readonly type: 'waiting'; readonly id: string; readonly pid: number | null }
  | { readonly type: 'already-installed'; readonly id: string; readonly dir: string }
  | { readonly type: 'plan'; readonly id: string; readonly files: number; readonly bytes: number; readonly bytesOnDisk: number }
  | { readonly type: 'file'; readonly path: string; readonly repo: string; readonly bytes: number; readonly resumeFrom: number }
  | { readonly type: 'progress'; readonly path: string; readonly done: number; readonly total: number }
  | { readonly type: 'retry'; readonly path: string; readonly bytesOnDisk: number; readonly attempt: number; readonly reason: string }
  | { readonly type: 'verified'; readonly path: string; readonly sha256: string }
  | { readonly type: 'installed'; readonly id: string; readonly dir: string; readonly bytes: number };
