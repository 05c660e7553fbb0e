export type JobEnd = 'succeeded' | 'failed' | 'cancelled';

export interface QueueDepth {
  readonly name: string;
  readonly counts: Readonly<Record<string, number>>;
}

/** What the server saw of its jobs, per queue, as Prometheus text (GET /metrics). */
export class QueueMetrics {
  private readonly durations = new Map<string, { count: number; sum: number }>();
  private readonly ends = new Map<string, Map<JobEnd, number>>();

  /** A job ended `seconds` after it was put on `queue`. */
  record(queue: string, end: JobEnd, seconds: number): void {
    const duration = this.durations.get(queue) ?? { count: 0, sum: 0 };
    duration.count++;
    duration.sum += seconds;
    this.durations.set(queue, duration);
    const ends = this.ends.get(queue) ?? new Map<JobEnd, number>();
    ends.set(end, (ends.get(end) ?? 0) + 1);
    this.ends.set(queue, ends);
  }

  /** The exposition: Redis up or not, each queue's jobs by state (when Redis answers), durations and ends. */
  text(redisUp: boolean, depths: readonly QueueDepth[]): string {
    const lines = ['# HELP sa3_redis_up Whether the queue Redis answers (1) or not (0).', '# TYPE sa3_redis_up gauge', `sa3_redis_up ${redisUp ? 1 : 0}`];
    lines.push('# HELP sa3_queue_jobs Jobs in each queue, by state.', '# TYPE sa3_queue_jobs gauge');
    for (const { name, counts } of depths) for (const [state, n] of Object.entries(counts)) lines.push(`sa3_queue_jobs{queue="${name}",state="${state}"} ${n}`);
    lines.push('# HELP sa3_job_duration_seconds From putting a job on its queue to its end, as this server saw it.', '# TYPE sa3_job_duration_seconds summary');
    for (const [queue, { count, sum }] of [...this.durations].sort()) {
      lines.push(`sa3_job_duration_seconds_sum{queue="${queue}"} ${sum.toFixed(3)}`, `sa3_job_duration_seconds_count{queue="${queue}"} ${count}`);
    }
    lines.push('# HELP sa3_jobs_ended_total Jobs ended, by queue and how.', '# TYPE sa3_jobs_ended_total counter');
    for (const [queue, ends] of [...this.ends].sort()) for (const [end, n] of ends) lines.push(`sa3_jobs_ended_total{queue="${queue}",status="${end}"} ${n}`);
    return `${lines.join('\n')}\n`;
  }
}
