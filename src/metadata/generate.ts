/** DesiredState → the components to write (pure): the integration profile when the plugin owns it, one permission set per app. */
import { INTEGRATION_PSL_LABEL } from '../access/model.js';
import type { DesiredState } from '../manifest/types.js';
import { byCodeUnit } from '../manifest/desiredState.js';
import type { GeneratedComponent } from './types.js';
import { buildPermissionSet } from './permissionSet.js';
import { buildProfile } from './profile.js';
import { toMetadataXml } from './xml.js';
import { buildExternalClientApp } from './externalClientApp.js';

export type GenerateOptions = {
  /** User permissions the profile states (see ProfileOptions.userPermissions). */
  userPermissions?: readonly string[];
};

/** An access the manifest did not write but that its verbs need, for display: `Account` `read` implied by `edit`. */
export type ImpliedGrant = { app: string; permissionSet: string; target: string; access: string };

/**
 * License a generated permission set is tied to. With the Salesforce Integration license ('integration') the set
 * must carry the PSL's label; with 'salesforce' or 'auto' it carries none, so it can be assigned to a user of
 * either license (apply, which knows each user's license, decides per app).
 */
export function permissionSetLicense(state: DesiredState): string | undefined {
  return state.profile.license === 'integration' ? INTEGRATION_PSL_LABEL : undefined;
}

export function generateComponents(state: DesiredState, options: GenerateOptions = {}): GeneratedComponent[] {
  const components: GeneratedComponent[] = [];
  // With the integration license the profile is the org's own and never generated.
  if (state.profile.managed) {
    components.push({
      type: 'Profile',
      fullName: state.profile.name,
      xml: toMetadataXml('Profile', buildProfile(state.profile, { userPermissions: options.userPermissions })),
    });
  }
  const license = permissionSetLicense(state);
  const sets = [...state.apps]
    .sort((a, b) => byCodeUnit(a.permissionSet.name, b.permissionSet.name))
    .map<GeneratedComponent>((app) => ({
      type: 'PermissionSet',
      fullName: app.permissionSet.name,
      xml: toMetadataXml('PermissionSet', buildPermissionSet(app, { license })),
    }));
  // One External Client App per app that asks for one. Offline, the run-as user is the manifest's username and the
  // pre-authorisation (permission set ids only the org knows) is left out: apply fills both in.
  const apps = [...state.apps]
    .sort((a, b) => byCodeUnit(a.oauth?.name ?? '', b.oauth?.name ?? ''))
    .flatMap((app) => (app.oauth ? buildExternalClientApp(app.oauth, { runAsUsername: app.user.username }) : []));
  return [...components, ...sets, ...apps];
}

/** What generate could not write offline, per app with an OAuth client: told to the user. */
export type OAuthClientNote = { app: string; externalClientApp: string; flow: string; runAs?: string; preAuthorisation: 'left out' };

export function oauthClientNotes(state: DesiredState): OAuthClientNote[] {
  return state.apps.flatMap((app) =>
    app.oauth
      ? [
          {
            app: app.name,
            externalClientApp: app.oauth.name,
            flow: app.oauth.flow,
            ...(app.oauth.flow === 'client-credentials' ? { runAs: app.user.username } : {}),
            preAuthorisation: 'left out' as const,
          },
        ]
      : []
  );
}

export function impliedGrants(state: DesiredState): ImpliedGrant[] {
  return state.apps.flatMap((app) => [
    ...app.objects.flatMap((object) =>
      object.implied.map((access) => ({ app: app.name, permissionSet: app.permissionSet.name, target: object.object, access }))
    ),
    ...app.fields.flatMap((field) =>
      field.implied.map((access) => ({ app: app.name, permissionSet: app.permissionSet.name, target: field.field, access }))
    ),
  ]);
}
