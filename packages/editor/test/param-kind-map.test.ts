import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const editorDir = fileURLToPath(new URL('..', import.meta.url));
const controlMap = join(editorDir, 'src/plugin/react/controls/param-controls.ts');
// Inside the package, so '@sa3/nodes' resolves from the fixture as it does from the editor.
const fixtureDir = mkdtempSync(join(editorDir, 'test/.param-kind-fixture-'));
afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

const newKindFixture = `import type { ParamSpecBase } from '@sa3/nodes';

export interface StereoWidthParam extends ParamSpecBase<'stereoWidth', number> {
  readonly default: number;
}

declare module '@sa3/nodes' {
  interface ParamKinds {
    stereoWidth: StereoWidthParam;
  }
}
`;

function compile(extraFiles: readonly string[]): readonly ts.Diagnostic[] {
  const configPath = join(editorDir, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  const program = ts.createProgram({ rootNames: [controlMap, ...extraFiles], options: { ...options, noEmit: true } });
  return ts.getPreEmitDiagnostics(program);
}

const describeDiagnostic = (d: ts.Diagnostic): string => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;

describe("the editor's control per param kind", () => {
  it('compiles with a control for every kind there is', () => {
    expect(compile([]).map(describeDiagnostic)).toEqual([]);
  }, 120_000);

  it('does not compile once a kind is added to ParamKinds without a control, and the error names the kind', () => {
    const fixture = join(fixtureDir, 'stereo-width-kind.ts');
    writeFileSync(fixture, newKindFixture);
    const diagnostics = compile([fixture]);
    expect(diagnostics.length).toBeGreaterThan(0);
    const inControlMap = diagnostics.filter((d) => d.file?.fileName === controlMap);
    expect(inControlMap.map(describeDiagnostic)).toEqual([expect.stringMatching(/Property 'stereoWidth' is missing/)]);
    expect(diagnostics.filter((d) => d.file?.fileName !== controlMap).map(describeDiagnostic)).toEqual([]);
  }, 120_000);
});
