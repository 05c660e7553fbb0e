import { mkdir, rm, writeFile, link, unlink, copyFile, constants } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep, extname } from 'node:path';
import type { EncodedFile } from '@sa3/nodes';
import { confinedPath, holdTempPath, outputStagingName, releaseTempPath, sha256Hex } from '../files/index.js';
import type { OutputFileReport } from './report.js';

interface StagedFile {
  readonly node: string;
  readonly tempPath: string;
  readonly wantedPath: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly mime: string;
}

/**
 * Output files are written into a hidden staging folder inside the output directory and moved
 * to their names only when the whole run succeeded, so a failed or cancelled run leaves no file,
 * half-written or whole. Moving never replaces an existing file: a number is added to the name.
 * The folder's name carries this process's pid (.sa3-staging-<pid>-<run id>), so one a killed
 * process left is recognised and removed by the next run.
 */
export class OutputStaging {
  private readonly staged: StagedFile[] = [];
  private readonly stagingDir: string;
  private readonly claimed = new Set<string>();

  constructor(
    private readonly outDir: string,
    runId: string,
  ) {
    this.stagingDir = join(resolve(outDir), outputStagingName(runId));
  }

  /** Resolves a relative name inside the output directory; throws when it would leave it. */
  targetPath(relativeName: string): string {
    const root = resolve(this.outDir);
    const target = resolve(root, relativeName);
    if (!target.startsWith(root + sep)) throw new Error(`the output name "${relativeName}" leaves the output directory`);
    return target;
  }

  /**
   * Where a relative name really lands, following the symbolic links already inside the output
   * directory; throws when one of them leads out of it.
   */
  private async confinedTarget(relativeName: string, wantedPath: string): Promise<string> {
    await mkdir(resolve(this.outDir), { recursive: true });
    const real = await confinedPath(resolve(this.outDir), relative(resolve(this.outDir), wantedPath));
    if (real === null) throw new Error(`the output name "${relativeName}" leads out of the output directory through a symbolic link`);
    return wantedPath;
  }

  async stage(node: string, relativeName: string, file: EncodedFile): Promise<void> {
    const wantedPath = await this.confinedTarget(relativeName, this.targetPath(relativeName));
    holdTempPath(this.stagingDir);
    await mkdir(this.stagingDir, { recursive: true });
    const tempPath = join(this.stagingDir, `${this.staged.length}-${node}`);
    await writeFile(tempPath, file.bytes);
    this.staged.push({ node, tempPath, wantedPath, bytes: file.bytes.byteLength, sha256: sha256Hex(file.bytes), mime: file.mime });
  }

  async commit(): Promise<OutputFileReport[]> {
    const root = resolve(this.outDir);
    const reports: OutputFileReport[] = [];
    for (const file of this.staged) {
      // Checked again: a link may have appeared in the output directory while the run went on.
      await this.confinedTarget(relative(root, file.wantedPath), file.wantedPath);
      await mkdir(dirname(file.wantedPath), { recursive: true });
      const finalPath = await this.placeWithoutOverwriting(file.tempPath, file.wantedPath);
      reports.push({
        node: file.node,
        path: relative(root, finalPath).split(sep).join('/'),
        absolutePath: finalPath,
        bytes: file.bytes,
        sha256: file.sha256,
        mime: file.mime,
      });
    }
    await this.discard();
    return reports;
  }

  async discard(): Promise<void> {
    await rm(this.stagingDir, { recursive: true, force: true });
    releaseTempPath(this.stagingDir);
  }

  private async placeWithoutOverwriting(tempPath: string, wantedPath: string): Promise<string> {
    const extension = extname(wantedPath);
    const stem = wantedPath.slice(0, wantedPath.length - extension.length);
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? wantedPath : `${stem}-${attempt}${extension}`;
      if (this.claimed.has(candidate)) continue;
      try {
        // link() fails with EEXIST instead of replacing, which rename() would do silently.
        await link(tempPath, candidate);
        await unlink(tempPath);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
        try {
          await copyFile(tempPath, candidate, constants.COPYFILE_EXCL);
        } catch (copyError) {
          if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') continue;
          throw copyError;
        }
      }
      this.claimed.add(candidate);
      return candidate;
    }
  }
}
