import { join } from 'node:path';
import { sa3Home } from './pack-locator.js';

/**
 * The folders under SA3_HOME: packs/ holds installed packs (one folder per id), staging/ holds
 * pulls and imports in progress (partial downloads, lock files) until they are renamed into packs/.
 */
export interface PackHome {
  readonly root: string;
  readonly packs: string;
  readonly staging: string;
}

export function packHome(root: string = sa3Home()): PackHome {
  return { root, packs: join(root, 'packs'), staging: join(root, 'staging') };
}
