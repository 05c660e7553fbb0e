export * from './pcm.js';
export * from './curves.js';
