/** A Vorbis comment list (FLAC VORBIS_COMMENT block, Ogg Vorbis/Opus comment header). */
export interface VorbisComments {
  readonly vendor: Uint8Array;
  /** Raw "KEY=value" entries, kept as bytes so entries we do not touch round-trip exactly. */
  readonly entries: readonly Uint8Array[];
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function parseVorbisComments(bytes: Uint8Array): VorbisComments {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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

function keyOf(entry: Uint8Array): string {
  const eq = entry.indexOf(0x3d);
  // Field names are short ASCII; the cap keeps a malformed name-only entry cheap.
  return String.fromCharCode(...entry.subarray(0, Math.min(eq < 0 ? entry.length : eq, 256))).toUpperCase();
}

/** The value of the first entry named `key` (names are case-insensitive ASCII). */
export function getComment(comments: VorbisComments, key: string): string | null {
  const wanted = key.toUpperCase();
  const entry = comments.entries.find((e) => keyOf(e) === wanted);
  return entry ? utf8Decoder.decode(entry.subarray(entry.indexOf(0x3d) + 1)) : null;
}

/** Replaces every entry named `key` with one `key=value` entry at the end. */
export function setComment(comments: VorbisComments, key: string, value: string): VorbisComments {
  const wanted = key.toUpperCase();
  const kept = comments.entries.filter((e) => keyOf(e) !== wanted);
  return { vendor: comments.vendor, entries: [...kept, utf8.encode(`${key}=${value}`)] };
}

export function emptyVorbisComments(vendor: string): VorbisComments {
  return { vendor: utf8.encode(vendor), entries: [] };
}
