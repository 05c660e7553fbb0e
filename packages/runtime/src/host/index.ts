export { createRuntime, type RuntimeOptions } from './create-runtime.js';
