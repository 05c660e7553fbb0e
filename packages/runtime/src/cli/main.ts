#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runtimeVersion } from './runtime-version.js';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED } from './exit-codes.js';
import { helpText } from './help.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { nodesCommand } from './commands/nodes.js';
import { extractCommand } from './commands/extract.js';
import { generateCommand } from './commands/generate.js';
import { modelsCommand } from './commands/models.js';
import { serveCommand } from './commands/serve.js';
import { removeLeftoversAtStart } from './start-cleanup.js';
import { attachNegativeValues } from './attach-negative-values.js';
import { commandOptions, type CommandName } from './command-options.js';
import { uncaughtFsErrorSentence } from '../files/index.js';

/** Options that name a file or folder: an empty one would quietly mean the current folder. */
const pathOptions = ['out', 'report', 'files', 'outputs', 'init-audio', 'inpaint-audio'];

function usageError(message: string): number {
  process.stderr.write(`sa3: ${message}\nRun "sa3 --help" for usage.\n`);
  return EXIT_INVALID_INPUT;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(helpText);
    return EXIT_OK;
  }
  if (command === 'version' || command === '--version' || command === '-v') {
    process.stdout.write(`${runtimeVersion()}\n`);
    return EXIT_OK;
  }
  if (!Object.hasOwn(commandOptions, command)) return usageError(`unknown command "${command}"`);
  let parsed;
  try {
    const options = { ...commandOptions[command as CommandName], help: { type: 'boolean', short: 'h' } } as const;
    const valueOptions = new Set(Object.entries(options).flatMap(([name, option]) => (option.type === 'string' ? [name] : [])));
    parsed = parseArgs({
      args: attachNegativeValues(rest, valueOptions),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const values = parsed.values as Record<string, unknown>;
  const emptyPath = pathOptions.find((name) => typeof values[name] === 'string' && values[name].trim() === '');
  if (emptyPath) return usageError(`--${emptyPath} needs a path, got an empty one`);
  if (values.help) {
    process.stdout.write(helpText);
    return EXIT_OK;
  }
  await removeLeftoversAtStart(command, values);
  if (command === 'serve') return serveCommand(values as Record<string, string | boolean | undefined>);
  // Loaded only when asked for: BullMQ and ioredis take a third of a second to load.
  if (command === 'worker') return (await import('./commands/worker.js')).workerCommand(values as Record<string, string | boolean | undefined>);
  if (command === 'workers') return (await import('./commands/workers.js')).workersCommand(values);
  if (command === 'models')
    return modelsCommand(parsed.positionals, { json: values.json === true, values: values as Record<string, string | boolean | undefined> });
  const [file, ...extra] = parsed.positionals;
  if (extra.length > 0) return usageError(`unexpected argument "${extra[0]}"`);
  switch (command) {
    case 'run':
      if (!file) return usageError('run needs a workflow FILE');
      return runCommand(file, {
        set: (values.set as string[] | undefined) ?? [],
        out: (values.out as string | undefined) ?? 'out',
        json: values.json === true,
        noCache: values['no-cache'] === true,
        ...(typeof values.report === 'string' ? { report: values.report } : {}),
        ...(typeof values.repeat === 'string' ? { repeat: values.repeat } : {}),
      });
    case 'validate':
      if (!file) return usageError('validate needs a workflow FILE');
      return validateCommand(file, { json: values.json === true });
    case 'generate':
      if (!file) return usageError('generate needs a PROMPT, e.g. sa3 generate "warm analog pad" --duration 30 --out pad.wav');
      return generateCommand(file, {
        out: (values.out as string | undefined) ?? 'sa3-output.wav',
        json: values.json === true,
        values: values as Record<string, string | boolean | undefined>,
      });
    case 'nodes':
      return nodesCommand(file, { json: values.json === true });
    default:
      if (!file) return usageError('extract needs an AUDIO file');
      return extractCommand(file, typeof values.out === 'string' ? { out: values.out } : {});
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const sentence = uncaughtFsErrorSentence(error);
    if (sentence) process.stderr.write(`sa3: ${sentence}\n`);
    else process.stderr.write(`sa3: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_RUN_FAILED;
  },
);
