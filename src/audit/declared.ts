/** The manifest's DesiredState as the rules see it: who each app's user is and what access it declares. */
import type { DesiredState } from '../manifest/types.js';
import type { DeclaredIntegration } from '../rules/types.js';
import { verbsOf } from '../salesforce/objectAccess.js';

export const declaredIntegrationOf = (desired: DesiredState): DeclaredIntegration => ({
  profileName: desired.profile.name,
  apps: desired.apps.map((app) => ({
    name: app.name,
    username: app.user.username,
    permissionSetName: app.permissionSet.name,
    objects: Object.fromEntries(app.objects.map((o) => [o.object, verbsOf(o)])),
    fields: Object.fromEntries(app.fields.map((f) => [f.field, f.edit ? 'edit' : 'read'])),
    systemPermissions: app.systemPermissions,
    apexClasses: app.apexClasses,
    elevated: app.elevations.map((e) => e.permission),
    ...(app.oauth ? { oauth: { name: app.oauth.name, flow: app.oauth.flow, ...(app.oauth.justification ? { justification: app.oauth.justification } : {}) } } : {}),
  })),
});
