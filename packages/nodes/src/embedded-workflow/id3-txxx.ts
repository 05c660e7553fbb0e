/** The description and value of an ID3v2 TXXX frame body, or null when its encoding is unknown. */
export function parseTxxx(data: Uint8Array): { description: string; value: string } | null {
  const encoding = data[0];
  if (encoding === undefined || encoding > 3) return null;
  const wide = encoding === 1 || encoding === 2;
  const terminator = findTerminator(data, 1, wide);
  const valueStart = terminator + (wide ? 2 : 1);
  return { description: decodeText(data.subarray(1, terminator), encoding), value: decodeText(data.subarray(Math.min(valueStart, data.length)), encoding) };
}

function findTerminator(data: Uint8Array, from: number, wide: boolean): number {
  if (!wide) {
    const index = data.indexOf(0, from);
    return index < 0 ? data.length : index;
  }
  for (let i = from; i + 1 < data.length; i += 2) if (data[i] === 0 && data[i + 1] === 0) return i;
  return data.length;
}

/** Text in ID3 encoding 0 (Latin-1), 1 (UTF-16 with BOM), 2 (UTF-16BE) or 3 (UTF-8). */
function decodeText(bytes: Uint8Array, encoding: number): string {
  let text: string;
  if (encoding === 0) text = new TextDecoder('latin1').decode(bytes);
  else if (encoding === 1) text = new TextDecoder('utf-16le').decode(bytes[0] === 0xfe && bytes[1] === 0xff ? swapBytes(bytes) : bytes);
  else if (encoding === 2) text = new TextDecoder('utf-16le').decode(swapBytes(bytes));
  else text = new TextDecoder().decode(bytes);
  return text.replace(/^\uFEFF/, '').replace(/\0+$/, '');
}

function swapBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length & ~1);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}
