import { readFileSync } from 'node:fs';

/** The version of @sa3/runtime this CLI belongs to. */
export function runtimeVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
