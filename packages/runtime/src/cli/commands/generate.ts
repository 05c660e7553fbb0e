import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseRegionText, type TimeRegion } from '@sa3/nodes';
import { predictionWorkflow, type PredictionInput } from '../../predictions/index.js';
import { loadWorkflow, serializeWorkflow, builtinNodes } from '../../workflow/index.js';
import { EXIT_INVALID_INPUT } from '../exit-codes.js';
import { executeWorkflow } from '../execute-workflow.js';
import { loraFlags } from '../lora-flags.js';

export interface GenerateOptions {
  readonly out: string;
  readonly json: boolean;
  readonly values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
}

const numberFlags = {
  duration: 'duration',
  steps: 'steps',
  cfg: 'cfg_scale',
  seed: 'seed',
  'init-noise-level': 'init_noise_level',
  start: 'inpaint_start_seconds',
  end: 'inpaint_end_seconds',
} as const;

/** `sa3 generate "prompt" --duration 30 --out a.wav`: the hosted model's options as one command. */
export async function generateCommand(prompt: string, options: GenerateOptions): Promise<number> {
  const values = options.values;
  const input: Record<string, unknown> = { prompt };
  for (const [flag, field] of Object.entries(numberFlags)) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      process.stderr.write(`sa3 generate: --${flag} must be a number, got "${text}"\n`);
      return EXIT_INVALID_INPUT;
    }
    input[field] = value;
  }
  const format = (values.format as string | undefined) ?? (extname(options.out).slice(1).toLowerCase() || 'wav');
  if (!['wav', 'mp3', 'flac', 'ogg'].includes(format)) {
    process.stderr.write(`sa3 generate: the output format "${format}" is not one of wav, mp3, flac, ogg (set it with --format or the --out extension)\n`);
    return EXIT_INVALID_INPUT;
  }
  input.output_format = format;
  if (typeof values.negative === 'string') input.negative_prompt = values.negative;
  if (typeof values.model === 'string') input.model = values.model;
  const cwd = process.cwd();
  if (typeof values['init-audio'] === 'string') input.init_audio = values['init-audio'];
  if (typeof values['inpaint-audio'] === 'string') {
    input.inpaint_audio = values['inpaint-audio'];
    // Extending is inpainting from the end of the file to the requested duration.
    if (input.inpaint_end_seconds === undefined && input.duration !== undefined) input.inpaint_end_seconds = input.duration;
  }
  const regions = regionFlags(values);
  if (typeof regions === 'string') {
    process.stderr.write(`sa3 generate: ${regions}\n`);
    return EXIT_INVALID_INPUT;
  }
  const loras = await loraFlags(values.lora, cwd);
  if (typeof loras === 'string') {
    process.stderr.write(`sa3 generate: ${loras}\n`);
    return EXIT_INVALID_INPUT;
  }
  const outPath = resolve(options.out);
  const existing = await stat(outPath).catch(() => null);
  if (existing && !existing.isFile()) {
    const what = existing.isDirectory() ? 'a folder' : 'a device, pipe or socket';
    process.stderr.write(
      `sa3 generate: --out ${outPath} is ${what}; give the audio file to write, e.g. ${join(existing.isDirectory() ? outPath : cwd, `sa3-output.${format}`)}\n`,
    );
    return EXIT_INVALID_INPUT;
  }
  const stem = basename(outPath, extname(outPath));
  const workflow = predictionWorkflow(input as unknown as PredictionInput, { filename: `${stem}.{ext}`, name: stem, ...(regions ? { regions } : {}), loras });
  const loaded = loadWorkflow(serializeWorkflow(workflow, builtinNodes), { requireOutputs: true });
  return executeWorkflow({
    loaded,
    label: `generate "${prompt.slice(0, 40)}"`,
    baseDir: cwd,
    outDir: dirname(outPath),
    json: options.json,
    workflowName: stem,
    noCache: values['no-cache'] === true,
  });
}

/** The repeated --region START:END flags as regions, nothing when there are none, or the sentence saying what is wrong. */
function regionFlags(values: GenerateOptions['values']): TimeRegion[] | undefined | string {
  const texts = values.region;
  if (!Array.isArray(texts) || texts.length === 0) return undefined;
  if (typeof values['inpaint-audio'] !== 'string') return '--region marks a region of --inpaint-audio FILE to regenerate; give the file too';
  if (values.start !== undefined || values.end !== undefined) return '--region and --start/--end both mark regions; give every region as --region START:END';
  const regions: TimeRegion[] = [];
  for (const text of texts as readonly string[]) {
    const region = parseRegionText(text);
    if (!region) return `--region must be START:END in seconds, for example 0.5:2, got "${text}"`;
    regions.push(region);
  }
  return regions;
}
