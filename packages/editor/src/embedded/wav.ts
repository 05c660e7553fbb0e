const decoder = new TextDecoder();

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourCC(bytes, 0) === 'RIFF' && fourCC(bytes, 8) === 'WAVE';
}

/** The ICMT text of a LIST/INFO chunk whose ISFT is "sa3-workflows". */
export function readWavWorkflow(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 12;
  while (p + 8 <= bytes.length) {
    const id = fourCC(bytes, p);
    const size = view.getUint32(p + 4, true);
    const start = p + 8;
    const end = Math.min(bytes.length, start + size);
    if (id === 'LIST' && size >= 4 && fourCC(bytes, start) === 'INFO') {
      const fields = new Map<string, string>();
      let q = start + 4;
      while (q + 8 <= end) {
        const field = fourCC(bytes, q);
        const length = view.getUint32(q + 4, true);
        let value = bytes.subarray(q + 8, Math.min(end, q + 8 + length));
        while (value.length > 0 && value[value.length - 1] === 0) value = value.subarray(0, value.length - 1);
        fields.set(field, decoder.decode(value));
        q += 8 + length + (length & 1);
      }
      if (fields.get('ISFT') === 'sa3-workflows' && fields.has('ICMT')) return fields.get('ICMT')!;
    }
    p = start + size + (size & 1);
  }
  return null;
}
