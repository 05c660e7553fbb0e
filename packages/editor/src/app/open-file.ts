import { readEmbeddedWorkflow } from '@sa3/nodes';

/** The workflow text in a dropped or opened file: a .json workflow, or audio saved by sa3. */
export async function workflowTextFromFile(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const looksLikeJson = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json' || bytes[0] === 0x7b;
  if (looksLikeJson) return new TextDecoder().decode(bytes);
  const embedded = readEmbeddedWorkflow(bytes);
  if (embedded === null) throw new Error(`${file.name} carries no workflow: only audio saved by sa3 (WAV, MP3, FLAC, Ogg) has one embedded`);
  return embedded;
}

export function downloadText(text: string, filename: string): void {
  downloadBlob(new Blob([text], { type: 'application/json' }), filename);
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function fileNameFor(name: string | undefined): string {
  const base =
    (name ?? 'workflow')
      .trim()
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'workflow';
  return `${base}.json`;
}
