import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { writeFileAtomic } from '../../files/index.js';

/** A file as the hosted API's /v1/files describes it. */
export interface FileObject {
  readonly id: string;
  readonly name: string;
  readonly content_type: string;
  readonly size: number;
  readonly etag: string;
  readonly checksums: { readonly sha256: string; readonly md5: string };
  readonly metadata: Record<string, unknown>;
  readonly created_at: string;
  readonly expires_at: string;
  readonly urls: { readonly get: string };
}

export interface StoredFile extends Omit<FileObject, 'urls'> {
  /** Its name in the upload folder: what an audio.load source "upload:<name>" reads. */
  readonly storedName: string;
}

const DAY_MS = 24 * 3600 * 1000;
export const FILE_ID = /^[a-z0-9]{26}$/;

/** Ids as the hosted API makes them: 26 lowercase base-32 characters. */
export function newId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [...randomBytes(26)].map((byte) => alphabet[byte % 32]).join('');
}

/**
 * Files uploaded through /v1/files: the bytes in the server's upload folder (where audio.load
 * reads upload:<name>), what describes them in memory.
 */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();

  constructor(private readonly uploadDir: string) {}

  async add(bytes: Uint8Array, name: string, contentType: string, metadata: Record<string, unknown>): Promise<StoredFile> {
    const id = newId();
    const extension = extname(name)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '')
      .slice(0, 6);
    const storedName = `${id}${extension.length > 1 ? extension : ''}`;
    await mkdir(this.uploadDir, { recursive: true });
    await writeFileAtomic(join(this.uploadDir, storedName), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const created = new Date();
    const file: StoredFile = {
      id,
      name,
      content_type: contentType,
      size: bytes.byteLength,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      checksums: { sha256, md5: createHash('md5').update(bytes).digest('hex') },
      metadata,
      created_at: created.toISOString(),
      expires_at: new Date(created.getTime() + DAY_MS).toISOString(),
      storedName,
    };
    this.files.set(id, file);
    return file;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  /** Newest first. */
  list(): StoredFile[] {
    return [...this.files.values()].reverse();
  }

  pathOf(file: StoredFile): string {
    return join(this.uploadDir, file.storedName);
  }

  async delete(id: string): Promise<boolean> {
    const file = this.files.get(id);
    if (!file) return false;
    this.files.delete(id);
    await rm(this.pathOf(file), { force: true });
    return true;
  }
}

export function fileObject(file: StoredFile, base: string): FileObject {
  const { storedName: _stored, ...rest } = file;
  return { ...rest, urls: { get: `${base}/v1/files/${file.id}` } };
}
