/**
 * True when A and B accept the same values (readonly aside). Used as `const check: SameShape<A, B> = true`
 * so a schema and the type it mirrors cannot change one without the other.
 */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
