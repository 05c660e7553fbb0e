const decoder = new TextDecoder();

export function isFlac(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 && bytes[3] === 0x43;
}

/** SA3_WORKFLOW=... in the VORBIS_COMMENT metadata block. */
export function readFlacWorkflow(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 4;
  while (p + 4 <= bytes.length) {
    const header = bytes[p]!;
    const size = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    const start = p + 4;
    if (start + size > bytes.length) return null;
    if ((header & 0x7f) === 4) {
      let q = start + 4 + view.getUint32(start, true);
      const count = view.getUint32(q, true);
      q += 4;
      for (let i = 0; i < count && q + 4 <= start + size; i++) {
        const length = view.getUint32(q, true);
        const entry = decoder.decode(bytes.subarray(q + 4, q + 4 + length));
        const eq = entry.indexOf('=');
        if (eq > 0 && entry.slice(0, eq).toUpperCase() === 'SA3_WORKFLOW') return entry.slice(eq + 1);
        q += 4 + length;
      }
    }
    if (header & 0x80) break;
    p = start + size;
  }
  return null;
}
