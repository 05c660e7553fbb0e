import { nodeCatalogue, paramDefault, type ParamSpec } from '@sa3/nodes';
import { EXIT_INVALID_INPUT, EXIT_OK } from '../exit-codes.js';
import { styleFor } from '../terminal.js';

function describeRange(spec: ParamSpec): string {
  const parts: string[] = [spec.kind];
  if (spec.kind === 'number') {
    if (spec.min !== undefined || spec.max !== undefined) parts.push(`${spec.min ?? '-inf'}..${spec.max ?? 'inf'}${spec.unit ? ' ' + spec.unit : ''}`);
    if (spec.integer) parts.push('integer');
  }
  if (spec.kind === 'enum') parts.push(spec.options.join('|'));
  const fallback = paramDefault(spec);
  if (fallback !== undefined) parts.push(`default ${JSON.stringify(fallback)}`);
  else if (spec.optional) parts.push('optional');
  else parts.push('required');
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
    const plain = selected.map(({ run: _run, migrations: _m, fingerprint: _f, checks, ...rest }) => ({
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
      process.stdout.write(`  param  ${name}: ${style.dim(describeRange(spec))}\n         ${spec.description}\n`);
  }
  return EXIT_OK;
}
