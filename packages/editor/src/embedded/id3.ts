export function hasId3(bytes: Uint8Array): boolean {
  return bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33;
}

function syncsafe(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! & 0x7f) << 21) | ((bytes[at + 1]! & 0x7f) << 14) | ((bytes[at + 2]! & 0x7f) << 7) | (bytes[at + 3]! & 0x7f);
}

function decodeText(bytes: Uint8Array, encoding: number): string {
  const label = encoding === 0 ? 'latin1' : encoding === 1 ? 'utf-16' : encoding === 2 ? 'utf-16be' : 'utf-8';
  return new TextDecoder(label).decode(bytes).replace(/^\uFEFF/, '').replace(/\0+$/, '');
}

/** The value of the ID3v2.3/2.4 TXXX frame described "sa3-workflow". */
export function readMp3Workflow(bytes: Uint8Array): string | null {
  if (!hasId3(bytes)) return null;
  const version = bytes[3]!;
  const flags = bytes[5]!;
  if ((version !== 3 && version !== 4) || flags & 0x80) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = Math.min(bytes.length, 10 + syncsafe(bytes, 6));
  let p = 10;
  if (flags & 0x40) p += version === 4 ? syncsafe(bytes, 10) : 4 + view.getUint32(10, false);
  while (p + 10 <= end) {
    const id = String.fromCharCode(bytes[p]!, bytes[p + 1]!, bytes[p + 2]!, bytes[p + 3]!);
    if (!/^[A-Z0-9]{4}$/.test(id)) break;
    const size = version === 4 ? syncsafe(bytes, p + 4) : view.getUint32(p + 4, false);
    const data = bytes.subarray(p + 10, Math.min(end, p + 10 + size));
    if (id === 'TXXX' && data.length > 1) {
      const encoding = data[0]!;
      const wide = encoding === 1 || encoding === 2;
      let split = 1;
      if (wide) {
        while (split + 1 < data.length && !(data[split] === 0 && data[split + 1] === 0)) split += 2;
      } else {
        while (split < data.length && data[split] !== 0) split++;
      }
      const description = decodeText(data.subarray(1, split), encoding);
      if (description === 'sa3-workflow') return decodeText(data.subarray(split + (wide ? 2 : 1)), encoding);
    }
    p += 10 + size;
  }
  return null;
}
