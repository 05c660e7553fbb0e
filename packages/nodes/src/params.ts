// Param kinds live in params/, one module per kind; this path stays for the files that import it.
export * from './params/index.js';
