export { paramControls, controlFor } from './param-controls.js';
export type { ControlHost, ControlProps, ParamControl } from './control.js';
