/** What each file-system error code means to a user, said without the code. */
const reasons: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than the file system allows',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EBUSY: 'it is in use',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'it leads through too many symbolic links',
  EIO: 'the disk reported an input/output error',
};

/** True for the errors Node's fs module raises with a code this module can explain. */
export function isExplainedFsError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code! in reasons;
}

/**
 * One sentence for a file-system error, e.g. "cannot write the report /x/r.json: the file system is
 * read-only", or null when the error is not one (then the caller reports it as it would otherwise).
 * `doing` names the action in the user's terms ("cannot write the report"); the path is the one the
 * error names, or `path` when the error names none. For a write, a missing path means its folder is missing.
 */
export function fsErrorSentence(error: unknown, doing: string, path?: string, access: 'read' | 'write' = 'read'): string | null {
  if (!isExplainedFsError(error)) return null;
  const where = error.path ?? path;
  const reason =
    access === 'write' && error.code === 'ENOENT'
      ? 'the folder it goes in does not exist'
      : error.code === 'EEXIST' && error.syscall === 'mkdir'
        ? 'it is a file, not a folder'
        : reasons[error.code];
  return `${doing}${where ? ` ${where}` : ''}: ${reason}`;
}

/** What the failing system call was doing, in the user's words. */
const doingBySyscall: Readonly<Record<string, [string, 'read' | 'write']>> = {
  open: ['cannot open', 'read'],
  read: ['cannot read', 'read'],
  scandir: ['cannot list the folder', 'read'],
  stat: ['cannot reach', 'read'],
  lstat: ['cannot reach', 'read'],
  access: ['cannot reach', 'read'],
  write: ['cannot write', 'write'],
  mkdir: ['cannot create the folder', 'write'],
  mkdtemp: ['cannot create a folder in', 'write'],
  rename: ['cannot move a file into', 'write'],
  copyfile: ['cannot copy to', 'write'],
  cp: ['cannot copy to', 'write'],
  symlink: ['cannot create', 'write'],
  unlink: ['cannot remove', 'write'],
  rm: ['cannot remove', 'write'],
  rmdir: ['cannot remove the folder', 'write'],
};

/**
 * The sentence for a file-system error nothing closer to the user explained, worded from the
 * system call that failed, e.g. "cannot create the folder /x/staging: the disk is full".
 */
export function uncaughtFsErrorSentence(error: unknown): string | null {
  if (!isExplainedFsError(error)) return null;
  const [doing, access] = doingBySyscall[error.syscall ?? ''] ?? ['cannot use', 'read'];
  return fsErrorSentence(error, doing, undefined, access);
}
