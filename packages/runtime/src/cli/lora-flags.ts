import type { PredictionLora } from '../predictions/index.js';
import { LoraLibrary, LoraLibraryError } from '../store/index.js';

/**
 * The repeated --lora FILE[:STRENGTH] flags (in order), each file found by path from `baseDir` or
 * by installed name and recorded with its sha256; or the sentence saying what is wrong.
 */
export async function loraFlags(texts: unknown, baseDir: string, flag = '--lora'): Promise<PredictionLora[] | string> {
  if (!Array.isArray(texts)) return [];
  const library = new LoraLibrary();
  const loras: PredictionLora[] = [];
  for (const text of texts as readonly string[]) {
    const colon = text.lastIndexOf(':');
    const tail = colon > 0 ? text.slice(colon + 1) : '';
    const hasStrength = colon > 0 && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(tail);
    if (colon > 0 && !hasStrength && !/[\\/]/.test(tail))
      return `${flag} must be FILE or FILE:STRENGTH with a number for the strength, for example style.safetensors:0.8, got "${text}"`;
    const file = hasStrength ? text.slice(0, colon) : text;
    const strength = hasStrength ? Number(tail) : 1;
    try {
      const found = await library.resolve(file, { baseDir });
      loras.push({ file: found.path, strength, sha256: found.sha256 });
    } catch (error) {
      if (error instanceof LoraLibraryError) return `${flag}: ${error.message}`;
      throw error;
    }
  }
  return loras;
}
