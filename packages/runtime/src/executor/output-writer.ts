import type { EmittedFile } from '@sa3/nodes';
import { expandFilename } from '../workflow/index.js';
import type { FileNaming } from './file-naming.js';
import { OutputStaging } from './output-staging.js';
import type { OutputFileReport } from './report.js';

/** Embeds the workflow into a file's bytes, for the formats that can carry it. */
export type EmbedInto = (bytes: Uint8Array, extension: string) => Uint8Array;

/** Names the files nodes emit, embeds the workflow in them and stages them until the run's end decides. */
export class OutputWriter {
  private readonly staging: OutputStaging;

  constructor(
    outDir: string,
    runId: string,
    private readonly naming: FileNaming,
    private readonly embed: EmbedInto | undefined,
  ) {
    this.staging = new OutputStaging(outDir, runId);
  }

  async stage(node: string, files: readonly EmittedFile[]): Promise<void> {
    for (const { file, filenamePattern } of files) {
      const name = expandFilename(filenamePattern, this.naming.tokens(node, file.extension));
      const bytes = this.embed ? this.embed(file.bytes, file.extension) : file.bytes;
      await this.staging.stage(node, name, { ...file, bytes });
    }
  }

  commit(): Promise<OutputFileReport[]> {
    return this.staging.commit();
  }

  discard(): Promise<void> {
    return this.staging.discard();
  }
}
