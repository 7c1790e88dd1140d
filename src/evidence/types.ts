/** The evidence vocabulary lives with the AccessModel that carries it (layer 2, docs/architecture.md). */
export * from '../access/evidenceTypes.js';
