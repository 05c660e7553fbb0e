/**
 * A protobuf walk over a file without reading it whole: a cursor with a read window and the
 * fields of a message range, so a 2 GB ONNX model costs a few reads to inspect.
 */
import { open, type FileHandle } from 'node:fs/promises';

const WINDOW = 1 << 20;

/** The bytes are not the protobuf message they should be. */
export class NotOnnx extends Error {}

export class FileCursor {
  private buffer: Buffer = Buffer.alloc(0);
  private start = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  private async ensure(pos: number, length: number): Promise<void> {
    if (pos >= this.start && pos + length <= this.start + this.buffer.length) return;
    if (pos + length > this.size) throw new NotOnnx('truncated');
    const buffer = Buffer.alloc(Math.min(Math.max(length, WINDOW), this.size - pos));
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, pos);
    if (bytesRead < length) throw new NotOnnx('short read');
    this.buffer = buffer.subarray(0, bytesRead);
    this.start = pos;
  }

  async varint(pos: number): Promise<[value: number, next: number]> {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      await this.ensure(pos + i, 1);
      const byte = this.buffer[pos + i - this.start]!;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return [value, pos + i + 1];
    }
    throw new NotOnnx('bad varint');
  }

  async bytes(pos: number, length: number): Promise<Uint8Array> {
    await this.ensure(pos, length);
    return Uint8Array.prototype.slice.call(this.buffer, pos - this.start, pos - this.start + length);
  }
}

export interface Field {
  readonly number: number;
  /** Payload range of a length-delimited field. */
  readonly start: number;
  readonly end: number;
  readonly delimited: boolean;
}

export async function* fields(cursor: FileCursor, from: number, to: number): AsyncGenerator<Field> {
  let pos = from;
  while (pos < to) {
    const [tag, afterTag] = await cursor.varint(pos);
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    if (number === 0) throw new NotOnnx('field 0');
    let start = afterTag;
    let end: number;
    if (wire === 0) end = (await cursor.varint(afterTag))[1];
    else if (wire === 1) end = afterTag + 8;
    else if (wire === 5) end = afterTag + 4;
    else if (wire === 2) {
      const [length, afterLength] = await cursor.varint(afterTag);
      start = afterLength;
      end = afterLength + length;
    } else throw new NotOnnx(`wire type ${wire}`);
    if (end > to) throw new NotOnnx('field past its message');
    yield { number, start, end, delimited: wire === 2 };
    pos = end;
  }
}

const MODEL_GRAPH_FIELD = 7;

/**
 * Calls `visit(fieldNumber, bytes)` for each length-delimited field of an ONNX file's graph
 * (1 node, 5 initializer, ...) of at most `maxBytes`, in file order, skipping bigger ones unread;
 * `visit` returns true to stop. Returns false when the file is not an ONNX model.
 */
export async function walkGraphParts(path: string, maxBytes: number, visit: (field: number, bytes: Uint8Array) => boolean | void): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const cursor = new FileCursor(handle, (await handle.stat()).size);
    for await (const field of fields(cursor, 0, cursor.size)) {
      if (field.number !== MODEL_GRAPH_FIELD || !field.delimited) continue;
      for await (const part of fields(cursor, field.start, field.end)) {
        if (!part.delimited || part.end - part.start > maxBytes) continue;
        if (visit(part.number, await cursor.bytes(part.start, part.end - part.start))) return true;
      }
    }
    return true;
  } catch (error) {
    if (error instanceof NotOnnx || error instanceof RangeError) return false;
    throw error;
  } finally {
    await handle.close();
  }
}
