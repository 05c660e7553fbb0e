/** A file sent to POST /v1/files as Replicate's clients send it. */
export interface FileUpload {
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly contentType: string;
  readonly metadata: Record<string, unknown>;
}

/**
 * Reads a multipart/form-data body the way the hosted API does: a file part named "content"
 * (its file name and type), and an optional "metadata" part holding a JSON object. Anything
 * else is refused with one sentence naming the part.
 */
export async function readFileUpload(body: Buffer, contentType: string): Promise<FileUpload | { error: string }> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { error: 'the body is not multipart/form-data with a boundary; send the file as a part named "content"' };
  }
  const content = form.get('content');
  if (content === null) return { error: 'the multipart body has no part named "content"; send the file under that name' };
  if (typeof content === 'string') return { error: 'the "content" part is a text field; send it as a file (with a filename)' };
  if (content.size === 0) return { error: 'the "content" file is empty' };
  let metadata: Record<string, unknown> = {};
  const given = form.get('metadata');
  if (given !== null) {
    const text = typeof given === 'string' ? given : await given.text();
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return { error: 'the "metadata" part is not valid JSON; send a JSON object' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'the "metadata" part must be a JSON object' };
    metadata = parsed as Record<string, unknown>;
  }
  const named = form.get('filename');
  const typed = form.get('type');
  const name = (typeof named === 'string' && named) || (content as File).name || 'file';
  return {
    bytes: new Uint8Array(await content.arrayBuffer()),
    name: name.slice(0, 255),
    contentType: (typeof typed === 'string' && typed) || content.type || 'application/octet-stream',
    metadata,
  };
}
