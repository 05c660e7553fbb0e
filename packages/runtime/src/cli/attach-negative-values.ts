/** A negative number as users type it: -1, -0.5, -.5, -3e2. */
const negativeNumber = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Joins `--opt -1` into `--opt=-1` for options that take a value, so a documented negative value
 * (`--seed -1`) is read as the value it is instead of being refused as an unknown option.
 */
export function attachNegativeValues(args: readonly string[], valueOptions: ReadonlySet<string>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === '--') {
      joined.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--') && valueOptions.has(arg.slice(2)) && next !== undefined && negativeNumber.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}
