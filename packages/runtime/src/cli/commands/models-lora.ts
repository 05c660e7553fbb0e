import { formatBytes } from '../../files/index.js';
import { LoraLibrary, LoraLibraryError } from '../../store/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK } from '../exit-codes.js';

export interface LoraCommandOptions {
  readonly json: boolean;
  readonly name?: string;
}

/** `sa3 models lora list | import FILE [--name NAME] | remove NAME`: the LoRA files in $SA3_HOME/loras. */
export async function loraCommand(args: readonly string[], options: LoraCommandOptions, library = new LoraLibrary()): Promise<number> {
  const [action, target, ...extra] = args;
  const usage = (message: string) => {
    process.stderr.write(`sa3 models lora: ${message}\n`);
    return EXIT_INVALID_INPUT;
  };
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}"`);
  try {
    switch (action) {
      case undefined:
      case 'list': {
        const loras = await library.list();
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ lorasDir: library.dir, installed: loras }, null, 2)}\n`);
        } else if (loras.length === 0) {
          process.stdout.write(`no LoRA files installed in ${library.dir} (sa3 models lora import FILE)\n`);
        } else {
          for (const l of loras) {
            const kind = [l.adapterType, l.rank === undefined ? undefined : `rank ${l.rank}`].filter(Boolean).join(', ');
            process.stdout.write(`  ${l.name.padEnd(24)} ${kind ? `${kind}, ` : ''}${formatBytes(l.bytes)}  ${l.path}\n`);
          }
        }
        return EXIT_OK;
      }
      case 'import': {
        if (!target) return usage('import needs a FILE, e.g. sa3 models lora import ./my-style.safetensors [--name my-style]');
        const installed = await library.import(target, options.name);
        process.stdout.write(options.json ? `${JSON.stringify(installed, null, 2)}\n` : `installed LoRA "${installed.name}" at ${installed.path}\n`);
        return EXIT_OK;
      }
      case 'remove': {
        if (!target) return usage('remove needs the NAME of an installed LoRA (sa3 models lora list shows them)');
        const path = await library.remove(target);
        process.stdout.write(options.json ? `${JSON.stringify({ removed: target, path })}\n` : `removed LoRA "${target}" (${path})\n`);
        return EXIT_OK;
      }
      default:
        return usage(`unknown action "${action}"; use list, import FILE [--name NAME] or remove NAME`);
    }
  } catch (error) {
    if (error instanceof LoraLibraryError) return usage(error.message);
    throw error;
  }
}
