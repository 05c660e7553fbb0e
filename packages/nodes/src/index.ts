export * from './sockets.js';
export * from './audio-clip.js';
export * from './params.js';
export * from './engine.js';
export * from './errors.js';
export * from './node-definition.js';
export * from './dsp/curves.js';
export * from './dsp/pcm.js';
export { nodeCatalogue, getNodeDefinition } from './catalogue/index.js';
