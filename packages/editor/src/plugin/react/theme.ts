import type { NodeCategory } from '@sa3/nodes';

/** The editor's dark palette; the app's stylesheet uses the same values as CSS variables. */
export const theme = {
  card: '#1b1f27',
  cardRaised: '#222732',
  border: '#2e3441',
  borderStrong: '#444c5e',
  text: '#e6e9ef',
  textDim: '#98a1b3',
  textFaint: '#6b7386',
  field: '#12151b',
  accent: '#7c9cff',
  selected: '#f5c451',
  error: '#f87171',
  errorBg: 'rgba(248, 113, 113, 0.12)',
  ok: '#4ade80',
  font: "'Inter', 'Segoe UI', system-ui, -apple-system, sans-serif",
  mono: "'JetBrains Mono', 'SFMono-Regular', ui-monospace, Menlo, Consolas, monospace",
} as const;

export const categoryColor: Record<NodeCategory | 'Unknown', string> = {
  'Stable Audio 3': '#a78bfa',
  'Audio I/O': '#34d399',
  'Audio utilities': '#60a5fa',
  Unknown: '#f87171',
};

export const statusColor: Record<string, string> = {
  idle: '#6b7386',
  queued: '#98a1b3',
  running: '#7c9cff',
  done: '#4ade80',
  cached: '#2dd4bf',
  failed: '#f87171',
  cancelled: '#fbbf24',
  skipped: '#6b7386',
};
