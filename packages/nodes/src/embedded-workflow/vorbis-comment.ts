import { dataViewOf } from './bytes.js';

/** A Vorbis comment list (FLAC VORBIS_COMMENT block, Ogg Vorbis/Opus comment header). */
export interface VorbisComments {
  readonly vendor: Uint8Array;
  /** Raw "KEY=value" entries, kept as bytes so entries we do not touch round-trip exactly. */
  readonly entries: readonly Uint8Array[];
}

const utf8Decoder = new TextDecoder();

export function parseVorbisComments(bytes: Uint8Array): VorbisComments {
  const view = dataViewOf(bytes);
  let p = 0;
  const take = (length: number): Uint8Array => {
    if (p + length > bytes.length) throw new Error('truncated Vorbis comment');
    const slice = bytes.subarray(p, p + length);
    p += length;
    return slice;
  };
  const u32 = (): number => {
    if (p + 4 > bytes.length) throw new Error('truncated Vorbis comment');
    const value = view.getUint32(p, true);
    p += 4;
    return value;
  };
  const vendor = take(u32());
  const count = u32();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < count; i++) entries.push(take(u32()));
  return { vendor, entries };
}

/** An entry's field name, upper-cased (names are case-insensitive ASCII). */
export function vorbisCommentKey(entry: Uint8Array): string {
  const eq = entry.indexOf(0x3d);
  // Field names are short ASCII; the cap keeps a malformed name-only entry cheap.
  return String.fromCharCode(...entry.subarray(0, Math.min(eq < 0 ? entry.length : eq, 256))).toUpperCase();
}

/** The value of the first "key=value" entry named `key`; an entry without "=" has no value. */
export function getVorbisComment(comments: VorbisComments, key: string): string | null {
  const wanted = key.toUpperCase();
  const entry = comments.entries.find((e) => e.includes(0x3d) && vorbisCommentKey(e) === wanted);
  return entry ? utf8Decoder.decode(entry.subarray(entry.indexOf(0x3d) + 1)) : null;
}
