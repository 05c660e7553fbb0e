import { posix } from 'node:path';
import { type CatalogueEntry, type CatalogueFile, type FileRole, describeRole, isCompanionOf, isGraphRole } from '../catalogue/index.js';
import { PackError } from '../pack-format/index.js';
import type { HubClient } from './hub-client.js';
import { listRepoFiles, type RemoteFile } from './repo-tree.js';

/** One file a pull downloads: where it is in the repo and where it goes in the pack. */
export interface PlannedFile extends RemoteFile {
  readonly repo: string;
  /** The commit the file is downloaded at: the one the entry's revision pointed at when the pull planned. */
  readonly revision: string;
  readonly role: FileRole;
  readonly packPath: string;
}

function missingFile(entry: CatalogueEntry, file: CatalogueFile): PackError {
  const unverified = file.verified ? '' : `; sa3 also looked for ${posix.basename(file.path)} anywhere in the repo, as that name is not confirmed`;
  return new PackError(
    'remote_missing',
    `the repository ${file.repo} has no file ${file.path} (the ${describeRole(file.role)} of ${entry.id})${unverified}`,
    file.path,
  );
}

/** The catalogue file in the repo's listing: its exact path, or for an unverified name the one file ending the same way. */
function findRemote(file: CatalogueFile, tree: readonly RemoteFile[]): RemoteFile | undefined {
  const exact = tree.find((f) => f.path === file.path);
  if (exact || file.verified) return exact;
  for (const matches of [(f: RemoteFile) => f.path.endsWith(`/${file.path}`), (f: RemoteFile) => posix.basename(f.path) === posix.basename(file.path)]) {
    const found = tree.filter(matches);
    if (found.length === 1) return found[0];
    if (found.length > 1)
      throw new PackError(
        'remote_missing',
        `the repository ${file.repo} has several files that could be the ${describeRole(file.role)} (${found.map((f) => f.path).join(', ')}); download the one you want and use "sa3 models import DIR"`,
        file.path,
      );
  }
  return undefined;
}

/** The folders of a repo to list: the files' own folders, or the whole repo when a name has to be searched for. */
function foldersToList(files: readonly CatalogueFile[]): string[] {
  if (files.some((f) => !f.verified)) return [''];
  const folders = [...new Set(files.map((f) => (posix.dirname(f.path) === '.' ? '' : posix.dirname(f.path))))];
  return folders.includes('') ? [''] : folders;
}

/** Asks the tree API for every repo the entry uses and decides what to download, external data included. */
export async function planDownload(client: HubClient, entry: CatalogueEntry, signal?: AbortSignal): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  const repos = [...new Set(entry.files.map((f) => f.repo))];
  for (const repo of repos) {
    const files = entry.files.filter((f) => f.repo === repo);
    const revision = await client.commitOf(repo, entry.revision, signal);
    const tree: RemoteFile[] = [];
    for (const folder of foldersToList(files)) {
      try {
        tree.push(...(await listRepoFiles(client, repo, revision, folder, signal)));
      } catch (error) {
        if (!(error instanceof PackError && error.code === 'remote_missing') || folder === '') throw error;
        // A folder that is not there: name the first file the pack needs from it.
        const needed = files.find((f) => !f.optional && posix.dirname(f.path) === folder);
        if (needed) throw missingFile(entry, needed);
      }
    }
    for (const file of files) {
      const remote = findRemote(file, tree);
      if (!remote) {
        if (file.optional) continue;
        throw missingFile(entry, file);
      }
      if (!planned.some((p) => p.packPath === file.packPath)) planned.push({ ...remote, repo, revision, role: file.role, packPath: file.packPath });
      if (!isGraphRole(file.role)) continue;
      for (const companion of tree.filter((f) => isCompanionOf(f.path, remote.path))) {
        const packPath = posix.join(posix.dirname(file.packPath), posix.basename(companion.path));
        if (!planned.some((p) => p.packPath === packPath)) planned.push({ ...companion, repo, revision, role: 'externalData', packPath });
      }
    }
  }
  return planned;
}
