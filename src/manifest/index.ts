/** The manifest module's public surface. */
export * from './types.js';
export { loadManifest, loadManifestWithState, type LoadedManifest } from './load.js';
export { validateManifest, formatProblem, type ManifestValidation } from './validate.js';
export { desiredStateOf, withMarker } from './desiredState.js';
export { closeObjectVerbs, closeFieldAccess } from '../salesforce/objectAccess.js';
export { MANAGED_MARKER, DEFAULT_PROFILE_NAME } from './constants.js';
