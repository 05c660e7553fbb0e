export { pullPack, type PullOptions, type PullResult } from './pull-pack.js';
export type { PullEvent } from './pull-events.js';
export { HubClient, DEFAULT_HF_ENDPOINT, type HubSettings } from './hub-client.js';
