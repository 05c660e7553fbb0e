import { showSource, sourceError } from './source-errors.js';

export interface DataUri {
  readonly mime: string;
  readonly bytes: Uint8Array;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Decodes `data:[<mediatype>][;base64],<data>` (base64 or percent-encoded) to bytes. */
export function parseDataUri(uri: string): DataUri {
  const invalid = (reason: string) => sourceError('data_uri_invalid', `the data: URI ${showSource(uri)} is malformed: ${reason}`);
  if (!/^data:/i.test(uri)) throw invalid('it does not start with "data:"');
  const comma = uri.indexOf(',');
  if (comma < 0) throw invalid('there is no comma between the media type and the data');
  const header = uri
    .slice(5, comma)
    .split(';')
    .map((part) => part.trim());
  const isBase64 = header.length > 1 && header[header.length - 1]!.toLowerCase() === 'base64';
  const mime = header[0] || 'text/plain';

  const raw = percentDecode(uri.slice(comma + 1));
  if (!raw) throw invalid('it contains a "%" that is not followed by two hex digits');
  if (!isBase64) return { mime, bytes: raw };

  const text = Buffer.from(raw)
    .toString('latin1')
    .replace(/[\t\n\f\r ]/g, '');
  if (!BASE64.test(text) || text.length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
    throw invalid('its data is not valid base64');
  }
  return { mime, bytes: new Uint8Array(Buffer.from(text, 'base64')) };
}

function percentDecode(text: string): Uint8Array | null {
  // Base64 payloads are plain ASCII: skip the per-character walk for them.
  if (!/[%\u0080-\uffff]/.test(text)) return new Uint8Array(Buffer.from(text, 'latin1'));
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (ch < 0x80) {
      out.push(ch);
    } else {
      const codePoint = text.codePointAt(i)!;
      const char = String.fromCodePoint(codePoint);
      for (const b of encoder.encode(char)) out.push(b);
      i += char.length - 1;
    }
  }
  return Uint8Array.from(out);
}
