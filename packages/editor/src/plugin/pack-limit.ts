/** What the editor knows of an installed model pack: enough to hold a node's lengths to it before Run. */
export interface PackLimit {
  readonly id: string;
  /** The longest audio the pack makes, in seconds. */
  readonly maxSeconds: number;
  /** The pack "auto" picks on the server. */
  readonly auto?: boolean;
}
