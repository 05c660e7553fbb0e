import { vorbisCommentKey, type VorbisComments } from '@sa3/nodes';

const utf8 = new TextEncoder();

export function buildVorbisComments(comments: VorbisComments): Uint8Array {
  const size = 8 + comments.vendor.length + comments.entries.reduce((sum, e) => sum + 4 + e.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let p = 0;
  const put = (bytes: Uint8Array): void => {
    view.setUint32(p, bytes.length, true);
    out.set(bytes, p + 4);
    p += 4 + bytes.length;
  };
  put(comments.vendor);
  view.setUint32(p, comments.entries.length, true);
  p += 4;
  for (const entry of comments.entries) put(entry);
  return out;
}

/** Replaces every entry named `key` with one `key=value` entry at the end. */
export function setComment(comments: VorbisComments, key: string, value: string): VorbisComments {
  const wanted = key.toUpperCase();
  const kept = comments.entries.filter((e) => vorbisCommentKey(e) !== wanted);
  return { vendor: comments.vendor, entries: [...kept, utf8.encode(`${key}=${value}`)] };
}

/** setComment for each [key, value] in turn. */
export function setComments(comments: VorbisComments, entries: readonly (readonly [string, string])[]): VorbisComments {
  return entries.reduce((updated, [key, value]) => setComment(updated, key, value), comments);
}

export function emptyVorbisComments(vendor: string): VorbisComments {
  return { vendor: utf8.encode(vendor), entries: [] };
}
