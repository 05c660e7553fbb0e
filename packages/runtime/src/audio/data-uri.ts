import { MAX_DATA_URI_CHARS } from '@sa3/nodes';
import { showSource, sourceError } from './source-errors.js';

export interface DataUri {
  readonly mime: string;
  readonly bytes: Uint8Array;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Decodes `data:[<mediatype>][;base64],<data>` (base64 or percent-encoded) to bytes. Its length is
 * checked first, on the text as given: a URI over MAX_DATA_URI_CHARS is refused before any decoding.
 */
export function parseDataUri(uri: string): DataUri {
  const invalid = (reason: string) => sourceError('data_uri_invalid', `the data: URI ${showSource(uri)} is malformed: ${reason}`);
  if (uri.length > MAX_DATA_URI_CHARS) {
    throw sourceError(
      'data_uri_too_large',
      `the data: URI ${showSource(uri)} is ${uri.length.toLocaleString('en-US')} characters long, more than the ${MAX_DATA_URI_CHARS.toLocaleString('en-US')} (${MAX_DATA_URI_CHARS / (1024 * 1024)} MiB) a data: URI may have; give a file path or upload the audio instead`,
    );
  }
  if (!/^data:/i.test(uri)) throw invalid('it does not start with "data:"');
  const comma = uri.indexOf(',');
  if (comma < 0) throw invalid('there is no comma between the media type and the data');
  const header = uri
    .slice(5, comma)
    .split(';')
    .map((part) => part.trim());
  const isBase64 = header.length > 1 && header[header.length - 1]!.toLowerCase() === 'base64';
  const mime = header[0] || 'text/plain';

  const data = uri.slice(comma + 1);
  // Plain ASCII base64 (what clients send) is read as the string it is, without byte copies.
  const encoded = isBase64 && !/[%\u0080-\uffff]/.test(data) ? data : percentDecode(data);
  if (encoded === null) throw invalid('it contains a "%" that is not followed by two hex digits');
  if (!isBase64) return { mime, bytes: encoded as Uint8Array };

  const text = (typeof encoded === 'string' ? encoded : Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('latin1')).replace(
    /[\t\n\f\r ]/g,
    '',
  );
  if (!BASE64.test(text) || text.length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
    throw invalid('its data is not valid base64');
  }
  const bytes = Buffer.from(text, 'base64');
  return { mime, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Percent-decodes text to bytes (characters beyond ASCII as UTF-8), in one buffer; null for a "%" without two hex digits. */
function percentDecode(text: string): Uint8Array | null {
  // "%" and hex digits are ASCII, so they survive UTF-8 encoding as themselves and can be decoded
  // in place: every escape is shorter than what it stands for.
  const bytes = Buffer.from(text, 'utf8');
  let out = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x25) {
      bytes[out++] = byte;
      continue;
    }
    const high = hexDigit(bytes[i + 1]);
    const low = hexDigit(bytes[i + 2]);
    if (high < 0 || low < 0) return null;
    bytes[out++] = high * 16 + low;
    i += 2;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, out);
}

function hexDigit(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
