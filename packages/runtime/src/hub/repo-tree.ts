import { networkTimeoutOf } from '../files/index.js';
import { PackError } from '../pack-format/index.js';
import type { HubClient } from './hub-client.js';

/** A file of a Hugging Face repo as the tree API lists it. */
export interface RemoteFile {
  readonly path: string;
  readonly bytes: number;
  /** LFS files: the sha256 of the content (lfs.oid). */
  readonly sha256?: string;
  /** The git blob id (sha1 of "blob <size>\0" + content); what small, non-LFS files are checked by. */
  readonly gitOid: string;
}

interface TreeEntry {
  readonly type?: string;
  readonly path?: string;
  readonly size?: number;
  readonly oid?: string;
  readonly lfs?: { readonly oid?: string; readonly size?: number };
}

function nextPage(link: string | null): string | undefined {
  return link
    ?.split(',')
    .map((part) => /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)?.[1])
    .find(Boolean);
}

/** Every file under `dir` (recursively) at `revision`, following the tree API's pages. */
export async function listRepoFiles(client: HubClient, repo: string, revision: string, dir: string, signal?: AbortSignal): Promise<RemoteFile[]> {
  const files: RemoteFile[] = [];
  let url: string | undefined = client.treeUrl(repo, revision, dir);
  while (url) {
    const response = await client.get(url, {
      repo,
      missing: () =>
        dir
          ? `the repository ${repo} has no folder ${dir} at revision ${revision}`
          : `there is no repository ${repo} (or no revision ${revision}) on ${client.hostDescription}`,
      headers: { accept: 'application/json' },
      what: `the file list of ${repo}`,
      ...(signal ? { signal } : {}),
    });
    let entries: TreeEntry[];
    try {
      entries = (await response.json()) as TreeEntry[];
    } catch (error) {
      if (signal?.aborted) throw error;
      if (networkTimeoutOf(error)) throw client.bodyError(error, `the file list of ${repo}`);
      throw new PackError('http_error', `${client.hostDescription} sent a file list for ${repo} that is not JSON; try again later`);
    }
    if (!Array.isArray(entries))
      throw new PackError('http_error', `${client.hostDescription} sent a file list for ${repo} that is not a list; try again later`);
    for (const entry of entries) {
      if (entry.type !== 'file' || typeof entry.path !== 'string') continue;
      const bytes = entry.lfs?.size ?? entry.size ?? 0;
      files.push({ path: entry.path, bytes, gitOid: entry.oid ?? '', ...(entry.lfs?.oid ? { sha256: entry.lfs.oid.replace(/^sha256:/, '') } : {}) });
    }
    const next = nextPage(response.headers.get('link'));
    url = next ? new URL(next, url).toString() : undefined;
  }
  return files;
}
