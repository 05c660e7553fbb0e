import { describeCondition, nodeCatalogue, paramDefault, paramKindOf, type ParamSpec } from '@sa3/nodes';
import { EXIT_INVALID_INPUT, EXIT_OK } from '../exit-codes.js';
import { styleFor } from '../terminal.js';

/** "number, 1..380 s, default 30", "enum, 64|96|128, default 192, only when format is mp3". */
function describeParam(spec: ParamSpec): string {
  const parts = [paramKindOf(spec).describe(spec)];
  const fallback = paramDefault(spec);
  if (fallback !== undefined) parts.push(`default ${JSON.stringify(fallback)}`);
  else if (spec.optional) parts.push('optional');
  else parts.push('required');
  if (spec.onlyWhen) parts.push(describeCondition(spec.onlyWhen));
  return parts.join(', ');
}

/** `sa3 nodes [TYPE]`: the node catalogue, or one node's inputs, outputs and params. */
export function nodesCommand(type: string | undefined, options: { json: boolean }): number {
  const style = styleFor(process.stdout);
  const selected = type ? nodeCatalogue.filter((d) => d.type === type) : nodeCatalogue;
  if (type && selected.length === 0) {
    process.stderr.write(`unknown node type "${type}"; known types: ${nodeCatalogue.map((d) => d.type).join(', ')}\n`);
    return EXIT_INVALID_INPUT;
  }
  if (options.json) {
    // JSON leaves out run and fingerprint, being functions; migrations is an object of them.
    const plain = selected.map(({ migrations: _m, checks, ...rest }) => ({
      ...rest,
      checks: checks?.map(({ param, code, message }) => ({ param, code, message })),
    }));
    process.stdout.write(JSON.stringify(plain, null, 2) + '\n');
    return EXIT_OK;
  }
  for (const d of selected) {
    process.stdout.write(`${style.bold(d.type)} ${style.dim(`v${d.typeVersion} · ${d.category}`)}  ${d.description}\n`);
    if (!type) continue;
    for (const [name, spec] of Object.entries(d.inputs)) process.stdout.write(`  input  ${name}: ${spec.type}${spec.optional ? ' (optional)' : ''}\n`);
    for (const [name, spec] of Object.entries(d.outputs)) process.stdout.write(`  output ${name}: ${spec.type}\n`);
    for (const [name, spec] of Object.entries(d.params))
      process.stdout.write(`  param  ${name}: ${style.dim(describeParam(spec))}\n         ${spec.description}\n`);
  }
  return EXIT_OK;
}
