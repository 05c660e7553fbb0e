/** Where the server's setup stands: a model pack to run predictions with, looked for since startedAt. */
export interface SetupState {
  readonly status: 'STARTING' | 'READY' | 'SETUP_FAILED';
  readonly logs: string;
  readonly startedAt: string;
  /** When the last look ended; none while the first is under way. */
  readonly completedAt?: string;
}

export type HealthStatus = 'STARTING' | 'READY' | 'BUSY' | 'SETUP_FAILED';

export interface HealthCheck {
  readonly status: HealthStatus;
  /** Cog's setup result: empty until setup has ended (http.py answers {} while STARTING). */
  readonly setup: { started_at: string; completed_at: string; logs: string; status: 'succeeded' | 'failed' } | Record<string, never>;
}

/** GET /health-check as Cog answers it: BUSY while the runner would refuse a prediction, setup with its times. */
export function healthCheck(setup: SetupState, busy: boolean): HealthCheck {
  const status: HealthStatus = setup.status === 'READY' && busy ? 'BUSY' : setup.status;
  if (setup.status === 'STARTING' || setup.completedAt === undefined) return { status, setup: {} };
  return {
    status,
    setup: { started_at: setup.startedAt, completed_at: setup.completedAt, logs: setup.logs, status: setup.status === 'READY' ? 'succeeded' : 'failed' },
  };
}
