import { verbsOf } from '../salesforce/objectAccess.js';
import { holderEvidence, holderSubject } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-STRUCT-001';

export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 3, needs: [], ...ruleText(id) },
  check: (context) =>
    context.integrationProfiles.flatMap(({ profile, recognisedBy }) => {
      const objects = profile.objectPermissions
        .map((o) => ({ object: o.object, verbs: verbsOf(o) }))
        .filter((o) => o.verbs.length > 0);
      const fields = profile.fieldPermissions.filter((f) => f.read || f.edit);
      if (objects.length === 0 && fields.length === 0) return [];
      const evidence = [
        ...objects.map((o) => holderEvidence(profile, `${o.object}: ${o.verbs.join(', ')}`)),
        ...fields.map((f) => holderEvidence(profile, `${f.field}: ${f.edit ? 'edit' : 'read'}`)),
      ];
      const summary = `${objects.length} object(s), ${fields.length} field(s)`;
      return [{ subject: holderSubject(profile), message: ruleMessage(`${id}.finding`, [profile.name, summary]), evidence, ...(recognisedBy ? { recognisedBy } : {}) }];
    }),
};
