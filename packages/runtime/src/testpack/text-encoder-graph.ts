import { GraphBuilder } from '../compiler/index.js';
import type { IoNames } from './dit-graph.js';
import { HIDDEN_SIZE, TEXT_TOKENS } from '../pack-format/index.js';
import { TESTPACK_NOTES } from './notes.js';
import { TESTPACK_VOCABULARY, VOCABULARY_SIZE } from './tokenizer-json.js';

/** [vocab, 768]: a note word's row is one-hot at its note index, every other row is zero. */
export function embeddingTable(): Float32Array {
  const table = new Float32Array(VOCABULARY_SIZE * HIDDEN_SIZE);
  for (const note of TESTPACK_NOTES) table[TESTPACK_VOCABULARY[note.word]! * HIDDEN_SIZE + note.index] = 1;
  return table;
}

/** input_ids, attention_mask int64 [1,256] -> hidden_states [1,256,768], padded rows zero. */
export function buildTextEncoder(names: IoNames = {}): GraphBuilder {
  const g = new GraphBuilder({ graphName: 'text_encoder', docString: 'sa3 test pack text encoder: note words embed as one-hots' });
  const ids = g.input(names.input_ids ?? 'input_ids', 'int64', [1, TEXT_TOKENS]);
  const mask = g.input(names.attention_mask ?? 'attention_mask', 'int64', [1, TEXT_TOKENS]);
  const table = g.initializer('embedding', embeddingTable(), [VOCABULARY_SIZE, HIDDEN_SIZE]);
  const rows = g.gather(table, ids); // [1,256,768]
  const keep = g.unsqueeze(g.cast(mask, 'float32'), [2]); // [1,256,1]
  g.output(g.mul(rows, keep, names.hidden_states ?? 'hidden_states'), names.hidden_states ?? 'hidden_states', [1, TEXT_TOKENS, HIDDEN_SIZE]);
  return g;
}
