/** generate's pipeline: manifest file → DesiredState → components → files. */
import { resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { PORTABLE_USER_PERMISSIONS } from '../salesforce/permissionTiers.js';
import { fieldAccessFromDescribes, objectsOfFields, type FieldFacts } from '../salesforce/fieldAccess.js';
import { omittedFieldNotes, withoutImplicitFieldAccess } from '../manifest/fieldAccess.js';
import { loadManifestWithState } from '../manifest/load.js';
import type { ProfileLicense } from '../manifest/types.js';
import { generateComponents, impliedGrants, oauthClientNotes, type GenerateOptions, type ImpliedGrant, type OAuthClientNote } from './generate.js';
import { writeComponents, type WriteOptions, type WrittenFile } from './write.js';

export { generateComponents, impliedGrants, oauthClientNotes, permissionSetLicense, type ImpliedGrant, type OAuthClientNote } from './generate.js';
export { writeComponents, sourceFilePath, isSafeFileName, type WrittenFile, type FileAction } from './write.js';
export { buildProfile, PROFILE_GRANTS } from './profile.js';
export { buildPermissionSet } from './permissionSet.js';
export { toMetadataXml } from './xml.js';
export { userPermissionsFromDescribe } from './orgPermissions.js';
export type * from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'metadata');

export type IntegrationMetadataRequest = WriteOptions &
  GenerateOptions & {
    manifestPath: string;
    outputDir: string;
    /** The target org's describes of these objects (lower-case name → fields): which fields take no field permission. */
    describeObjects?: (objectNames: string[]) => Promise<ReadonlyMap<string, readonly FieldFacts[]>>;
  };

export type IntegrationMetadataOutcome = {
  outputDir: string;
  dryRun: boolean;
  profileLicense: ProfileLicense;
  profileName: string;
  /** Where the profile's list of user permissions came from: the portable list (names every edition has) or the target org's describe. */
  userPermissionSource: 'portable' | 'org';
  files: WrittenFile[];
  implied: ImpliedGrant[];
  /** What the user should know about the files (a portable profile, field access left out). */
  notes: string[];
  /** Apps with an External Client App, and what generate left for apply (or the admin) to fill in. */
  oauthClients: OAuthClientNote[];
  /** Manifest warnings (unknown permission names, unused elevations). */
  warnings: string[];
};

export async function generateIntegrationMetadata(request: IntegrationMetadataRequest): Promise<IntegrationMetadataOutcome> {
  // With an org's permission list, the manifest's permission names are checked against that org.
  // With an org, its describes decide which fields take no field permission; offline, the bundled describe does.
  const describeObjects = request.describeObjects;
  const loaded = await loadManifestWithState(request.manifestPath, {
    knownUserPermissions: request.userPermissions,
    ...(describeObjects ? { fieldAccess: (): undefined => undefined } : {}),
  });
  const { warnings } = loaded;
  let { desired, notes: fieldNotes } = loaded;
  if (describeObjects) {
    const described = await describeObjects(objectsOfFields(desired.apps.flatMap((app) => app.fields.map((f) => f.field))));
    const { desired: kept, omitted } = withoutImplicitFieldAccess(desired, fieldAccessFromDescribes(described));
    desired = kept;
    fieldNotes = omittedFieldNotes(omitted);
  }
  const components = generateComponents(desired, { userPermissions: request.userPermissions });
  const files = await writeComponents(request.outputDir, components, { force: request.force, dryRun: request.dryRun });
  return {
    outputDir: resolve(request.outputDir),
    dryRun: request.dryRun ?? false,
    profileLicense: desired.profile.license,
    profileName: desired.profile.name,
    userPermissionSource: request.userPermissions ? 'org' : 'portable',
    files,
    implied: impliedGrants(desired),
    notes: [
      ...(desired.profile.managed && !request.userPermissions
        ? [messages.getMessage('note.portableProfile', [desired.profile.name, String(PORTABLE_USER_PERMISSIONS.length)])]
        : []),
      ...fieldNotes,
    ],
    oauthClients: oauthClientNotes(desired),
    warnings,
  };
}
