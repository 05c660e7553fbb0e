export { AppActions } from './app-actions.js';
