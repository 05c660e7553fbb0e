// Import boundaries, checked by `npm test` (test/code/code-checks.test.ts). The runtime's folders
// and the arrows allowed between them are packages/runtime/layers.json; packages/runtime/README.md draws it.
/** Runtime folder -> the folders it may import (through their index.ts). */
const runtimeLayers = require('./packages/runtime/layers.json');
const rt = '^packages/runtime/src/';

const layerRules = Object.entries(runtimeLayers).map(([folder, allowed]) => ({
  name: `runtime-${folder}-imports`,
  comment: `runtime/src/${folder} may import only ${allowed.length ? allowed.join(', ') : 'its own files'} (packages/runtime/layers.json)`,
  severity: 'error',
  from: { path: `${rt}${folder}/` },
  to: { path: rt, pathNot: `${rt}(${[folder, ...allowed].join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'no file imports itself through others',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'through-index-only',
      comment: "a folder's files are reached from other folders only through its index.ts",
      severity: 'error',
      from: { path: '^packages/([^/]+)/src/([^/]+)/' },
      to: { path: '^packages/[^/]+/src/[^/]+/.', pathNot: ['^packages/$1/src/$2/', '^packages/[^/]+/src/[^/]+/index\\.tsx?$'] },
    },
    {
      name: 'testpack-only-for-tests',
      comment: 'production code does not import testpack/ (only `sa3 models testpack` does)',
      severity: 'error',
      from: { path: rt, pathNot: [`${rt}testpack/`, `${rt}cli/commands/models-testpack\\.ts$`] },
      to: { path: `${rt}testpack/` },
    },
    {
      name: 'nodes-stands-alone',
      comment: '@sa3/nodes is isomorphic and imports no other package of ours and nothing of Node.js',
      severity: 'error',
      from: { path: '^packages/nodes/src/' },
      to: { path: ['^packages/(runtime|editor)/', '^node:', '^(fs|path|os|crypto|child_process)$'] },
    },
    {
      name: 'editor-talks-http',
      comment: 'the editor reaches the runtime over HTTP only',
      severity: 'error',
      from: { path: '^packages/editor/' },
      to: { path: '^packages/runtime/' },
    },
    {
      name: 'onnxruntime-through-engine',
      comment: 'only engine/onnxruntime.ts imports onnxruntime-node (and onnxruntime-common): it turns its telemetry off before any session exists',
      severity: 'error',
      from: { pathNot: `${rt}engine/onnxruntime\\.ts$` },
      to: { path: '^(node_modules/)?onnxruntime-(node|common)(/|$)' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Built output is left out; packages in node_modules stay in the graph as leaves (not followed), so rules can name them.
    exclude: { path: '^packages/[^/]+/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: false,
  },
};
