/** How deep a workflow file may nest arrays and objects; real files use about six levels. */
export const MAX_JSON_DEPTH = 64;
/** How many nodes a workflow may have; runs walk graphs without recursion, so this is about memory, not the stack. */
export const MAX_WORKFLOW_NODES = 100_000;
/**
 * How many wires a workflow may have. An input takes one wire and no node type has more than
 * four inputs, so a workflow within MAX_WORKFLOW_NODES never needs more.
 */
export const MAX_WORKFLOW_CONNECTIONS = 4 * MAX_WORKFLOW_NODES;
/**
 * The longest text a string param (a prompt) may hold. The text encoder reads 256 tokens, about
 * a thousand characters; ten times that leaves room for any real prompt and bounds tokenizing.
 */
export const MAX_TEXT_PARAM_CHARS = 10_000;
/**
 * The longest data: URI an audio source may be, counted on its encoded text before any decoding:
 * 48 MiB of base64 is 36 MiB of audio, minutes of WAV or the model's longest input (380 s) as
 * MP3 or FLAC. Longer audio goes in as a file path or an upload.
 */
export const MAX_DATA_URI_CHARS = 48 * 1024 * 1024;
