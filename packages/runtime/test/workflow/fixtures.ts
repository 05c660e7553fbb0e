/**
 * A workflow file as plain JSON, typed loosely enough for tests to break it: any field may be
 * set to a value of the wrong kind, and the optional ones removed.
 */
export interface WorkflowDocument {
  [field: string]: unknown;
  format: string;
  version: number;
  name?: string;
  nodes: NodeDocument[];
  connections: ConnectionDocument[];
}

export interface NodeDocument {
  id: string;
  type?: string;
  typeVersion: number;
  params: Record<string, unknown>;
  position?: number[];
}

export interface ConnectionDocument {
  from: string[];
  to?: string[];
}

/** A small valid workflow (load -> trim -> fade -> convert -> save), as an editor would write it. */
export function validWorkflow(): WorkflowDocument {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'trim and fade',
    nodes: [
      { id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'tone.wav' }, position: [0, 0] },
      { id: 'trim', type: 'audio.trim', typeVersion: 1, params: { start_seconds: 0.5, end_seconds: 2 }, position: [240, 0] },
      { id: 'fade', type: 'audio.fade', typeVersion: 1, params: { fade_in_seconds: 0.1, fade_out_seconds: 0.5 }, position: [480, 0] },
      { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'mp3', mp3_bitrate: 192 }, position: [720, 0] },
      { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: '{workflow}.{ext}' }, position: [960, 0] },
    ],
    connections: [
      { from: ['load', 'audio'], to: ['trim', 'audio'] },
      { from: ['trim', 'audio'], to: ['fade', 'audio'] },
      { from: ['fade', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save', 'file'] },
    ],
  };
}
