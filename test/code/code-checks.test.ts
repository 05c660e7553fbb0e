import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
const run = (cwd: string, command: string, args: readonly string[]) => {
  const result = spawnSync(bin(command), args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  // Colour codes stripped: some environments force colour whatever NO_COLOR says.
  return { status: result.status, stdout: stripVTControlCharacters(result.stdout), stderr: stripVTControlCharacters(result.stderr) };
};
const sources = ['packages/nodes/src', 'packages/runtime/src', 'packages/editor/src'];

describe('the code as it is', () => {
  it('is formatted as Prettier writes it', () => {
    const result = run(repoRoot, 'prettier', ['--check', '.']);
    expect(result.stdout + result.stderr).toContain('All matched files use Prettier code style!');
    expect(result.status).toBe(0);
  });

  it('has no ESLint finding in any package', () => {
    const result = run(repoRoot, 'eslint', ['--max-warnings', '0', '.']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 600_000);

  it('keeps every import boundary: no cycle, other folders through their index.ts, the runtime layers, no testpack in production', () => {
    const result = run(repoRoot, 'depcruise', sources);
    expect(result.stdout).toMatch(/no dependency violations found/);
    expect(result.status).toBe(0);
  });
});

describe('the runtime layers', () => {
  const runtimeLayers = require(join(repoRoot, 'packages/runtime/layers.json')) as Record<string, string[]>;

  it('form no cycle: every folder can be placed after all the folders it imports', () => {
    const placed: string[] = [];
    const remaining = new Map(Object.entries(runtimeLayers));
    while (remaining.size > 0) {
      const ready = [...remaining].filter(([, uses]) => uses.every((used) => placed.includes(used)));
      expect(ready, `no order exists for ${[...remaining.keys()].join(', ')}`).not.toHaveLength(0);
      for (const [folder] of ready) {
        placed.push(folder);
        remaining.delete(folder);
      }
    }
    expect(placed).toHaveLength(Object.keys(runtimeLayers).length);
  });

  it('name every folder of packages/runtime/src', () => {
    const folders = readdirSync(join(repoRoot, 'packages/runtime/src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(Object.keys(runtimeLayers).sort());
  });
});

describe('the boundary rules catch what they forbid', () => {
  const sandbox = mkdtempSync(join(tmpdir(), 'sa3-boundaries-'));
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(sandbox, path)), { recursive: true });
    writeFileSync(join(sandbox, path), text);
  };
  cpSync(join(repoRoot, '.dependency-cruiser.cjs'), join(sandbox, '.dependency-cruiser.cjs'));
  cpSync(join(repoRoot, 'tsconfig.base.json'), join(sandbox, 'tsconfig.base.json'));
  cpSync(join(repoRoot, 'packages/runtime/layers.json'), join(sandbox, 'packages/runtime/layers.json'));
  write('packages/runtime/src/store/index.ts', "export { locate } from './locate.js';\n");
  write('packages/runtime/src/store/locate.ts', 'export const locate = 1;\n');
  write('packages/runtime/src/testpack/index.ts', 'export const tones = 1;\n');
  // A file cycle inside one folder.
  write('packages/runtime/src/executor/a.ts', "import { b } from './b.js';\nexport const a = b;\n");
  write('packages/runtime/src/executor/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
  // Past another folder's index.
  write('packages/runtime/src/hub/pull.ts', "import { locate } from '../store/locate.js';\nexport const pull = locate;\n");
  // Against the layers: the engine may not use the store.
  write('packages/runtime/src/engine/run.ts', "import { locate } from '../store/index.js';\nexport const run = locate;\n");
  // Production code using the test pack generator.
  write('packages/runtime/src/server/app.ts', "import { tones } from '../testpack/index.js';\nexport const app = tones;\n");
  // ONNX Runtime used past the module that turns its telemetry off.
  write('packages/runtime/src/engine/x.ts', "import { Tensor } from 'onnxruntime-node';\nexport const x = Tensor;\n");
  // The editor importing the runtime.
  write('packages/editor/src/app/main.ts', "import { locate } from '../../../runtime/src/store/index.js';\nexport const main = locate;\n");

  const output = run(sandbox, 'depcruise', ['packages']);

  it.each([
    ['no-cycle', 'packages/runtime/src/executor/a.ts'],
    ['through-index-only', 'packages/runtime/src/hub/pull.ts → packages/runtime/src/store/locate.ts'],
    ['runtime-engine-imports', 'packages/runtime/src/engine/run.ts → packages/runtime/src/store/index.ts'],
    ['testpack-only-for-tests', 'packages/runtime/src/server/app.ts → packages/runtime/src/testpack/index.ts'],
    ['onnxruntime-through-engine', 'packages/runtime/src/engine/x.ts → onnxruntime-node'],
    ['editor-talks-http', 'packages/editor/src/app/main.ts → packages/runtime/src/store/index.ts'],
  ])('%s: %s', (rule, where) => {
    expect(output.stdout).toContain(`error ${rule}: ${where}`);
    expect(output.status).not.toBe(0);
  });
});

describe('packages/runtime/README.md', () => {
  it('lists each folder with exactly the folders layers.json lets it import', () => {
    const layers = require(join(repoRoot, 'packages/runtime/layers.json')) as Record<string, string[]>;
    const readme = readFileSync(join(repoRoot, 'packages/runtime/README.md'), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `([a-z-]+)` \| [^|]+ \| ([^|]+) \|$/gm)].map(([, folder, uses]) => [
        folder!,
        [...uses!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!).sort(),
      ]),
    );
    expect(new Map(Object.entries(layers).map(([folder, uses]) => [folder, [...uses].sort()]))).toEqual(rows);
  });
});
