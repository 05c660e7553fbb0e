import { resolve } from 'node:path';
import { loadWorkflow } from '../../workflow/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK } from '../exit-codes.js';
import { formatProblems } from '../format-problems.js';
import { formatWarnings } from '../format-warnings.js';
import { readWorkflowFile } from '../read-workflow-file.js';
import { styleFor } from '../terminal.js';

export async function validateCommand(file: string, options: { json: boolean }): Promise<number> {
  const style = styleFor(process.stdout);
  const read = await readWorkflowFile(resolve(file));
  if ('error' in read) {
    if (options.json) process.stdout.write(JSON.stringify({ valid: false, problems: [{ code: 'unreadable_file', message: read.error }] }) + '\n');
    else process.stderr.write(style.red(read.error) + '\n');
    return EXIT_INVALID_INPUT;
  }
  const result = loadWorkflow(read.text, { requireOutputs: true });
  if (options.json) {
    const { problems, warnings, migrations } = result;
    process.stdout.write(JSON.stringify({ valid: problems.length === 0, problems, warnings, migrations }) + '\n');
    return problems.length === 0 ? EXIT_OK : EXIT_INVALID_INPUT;
  }
  if (result.warnings.length > 0) process.stderr.write(formatWarnings(file, result.warnings, styleFor(process.stderr)) + '\n');
  if (result.problems.length > 0) {
    process.stderr.write(formatProblems(file, result.problems, style) + '\n');
  } else {
    const nodes = result.workflow!.nodes.length;
    process.stdout.write(`${style.green('valid')} ${file}: ${nodes} node${nodes === 1 ? '' : 's'}, ${result.workflow!.connections.length} wires\n`);
    for (const m of result.migrations) process.stdout.write(style.dim(`  node ${m.node} (${m.type}) upgraded from version ${m.from} to ${m.to}\n`));
  }
  return result.problems.length === 0 ? EXIT_OK : EXIT_INVALID_INPUT;
}
