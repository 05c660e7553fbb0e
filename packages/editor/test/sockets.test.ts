import { describe, expect, it } from 'vitest';
import { socketMismatch } from '../src/plugin/sockets.js';

describe('socket compatibility', () => {
  it('accepts a wire of the same type and refuses another type with a reason', () => {
    expect(socketMismatch('audio', 'audio')).toBeNull();
    expect(socketMismatch('audio', 'conditioning')).toBe('an audio output cannot feed a conditioning input');
    expect(socketMismatch('file', 'audio')).toBe('a file output cannot feed an audio input');
  });

  it('lets ports only known from a file (placeholders) take any wire', () => {
    expect(socketMismatch('unknown', 'audio')).toBeNull();
    expect(socketMismatch('conditioning', 'unknown')).toBeNull();
  });
});
