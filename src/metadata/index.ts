/** generate's pipeline: manifest file → DesiredState → components → files. */
import { resolve } from 'node:path';
import { loadManifestWithState } from '../manifest/load.js';
import type { ProfileLicense } from '../manifest/types.js';
import { generateComponents, impliedGrants, type GenerateOptions, type ImpliedGrant } from './generate.js';
import { writeComponents, type WriteOptions, type WrittenFile } from './write.js';

export { generateComponents, impliedGrants, permissionSetLicense, type ImpliedGrant } from './generate.js';
export { writeComponents, sourceFilePath, isSafeFileName, type WrittenFile, type FileAction } from './write.js';
export { buildProfile, PROFILE_GRANTS } from './profile.js';
export { buildPermissionSet } from './permissionSet.js';
export { toMetadataXml } from './xml.js';
export { userPermissionsFromDescribe } from './orgPermissions.js';
export type * from './types.js';

export type IntegrationMetadataRequest = WriteOptions &
  GenerateOptions & {
    manifestPath: string;
    outputDir: string;
  };

export type IntegrationMetadataOutcome = {
  outputDir: string;
  dryRun: boolean;
  profileLicense: ProfileLicense;
  profileName: string;
  /** Where the profile's list of user permissions came from: the built-in v57 list or the target org's describe. */
  userPermissionSource: 'builtin' | 'org';
  files: WrittenFile[];
  implied: ImpliedGrant[];
  /** Manifest warnings (unknown permission names, unused elevations). */
  warnings: string[];
};

export async function generateIntegrationMetadata(request: IntegrationMetadataRequest): Promise<IntegrationMetadataOutcome> {
  // With an org's permission list, the manifest's permission names are checked against that org.
  const { desired, warnings } = await loadManifestWithState(request.manifestPath, { knownUserPermissions: request.userPermissions });
  const components = generateComponents(desired, { userPermissions: request.userPermissions });
  const files = await writeComponents(request.outputDir, components, { force: request.force, dryRun: request.dryRun });
  return {
    outputDir: resolve(request.outputDir),
    dryRun: request.dryRun ?? false,
    profileLicense: desired.profile.license,
    profileName: desired.profile.name,
    userPermissionSource: request.userPermissions ? 'org' : 'builtin',
    files,
    implied: impliedGrants(desired),
    warnings,
  };
}
