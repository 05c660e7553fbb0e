/**
 * An error a node raises on purpose: it carries a code and, where it can, the param or input
 * at fault. `kind: 'input'` means the user's input was wrong (CLI exit 2, HTTP 4xx), not the run.
 */
export class NodeError extends Error {
  readonly code: string;
  readonly param: string | undefined;
  readonly input: string | undefined;
  readonly kind: 'input' | 'run';

  constructor(code: string, message: string, options: { param?: string; input?: string; kind?: 'input' | 'run'; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NodeError';
    this.code = code;
    this.param = options.param;
    this.input = options.input;
    this.kind = options.kind ?? 'run';
  }
}

export function noEngineError(): NodeError {
  return new NodeError('no_engine', 'no model engine configured: this node needs a Stable Audio 3 model pack, and this runtime was started without one');
}

export function cancelledError(): Error {
  const error = new Error('the run was cancelled');
  error.name = 'AbortError';
  return error;
}
