import { expect } from 'chai';
import { smallOrg, type SmallOrg } from './fixture.js';
import { executeSoql, SoqlError } from './index.js';

describe('simulator SOQL: validation errors like a real org', () => {
  let org: SmallOrg;
  const failure = (soql: string): SoqlError => {
    try {
      executeSoql(soql, org.schema, org.store);
    } catch (error) {
      expect(error).to.be.instanceOf(SoqlError);
      return error as SoqlError;
    }
    throw new Error(`expected ${soql} to fail`);
  };

  beforeEach(() => {
    org = smallOrg();
  });

  it('unknown object → INVALID_TYPE', () => {
    const error = failure('SELECT Id FROM ScratchOrgInfo');
    expect(error.errorCode).to.equal('INVALID_TYPE');
    expect(error.message).to.equal(
      "\nSELECT Id FROM ScratchOrgInfo\n               ^\nERROR at Row:1:Column:16\nsObject type 'ScratchOrgInfo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
    );
    expect(failure('SELECT Id FROM Invoice').errorCode).to.equal('INVALID_TYPE');
  });

  it('unknown field → INVALID_FIELD with the positioned message', () => {
    const error = failure('SELECT Id, Foo FROM User');
    expect(error.errorCode).to.equal('INVALID_FIELD');
    expect(error.message).to.equal(
      "\nSELECT Id, Foo FROM User\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'User'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
    );
  });

  it('unknown field at the end of a path names the parent entity', () => {
    const soql = 'SELECT Id FROM User WHERE IsActive = true AND Profile.Nme = null';
    const error = failure(soql);
    expect(error.errorCode).to.equal('INVALID_FIELD');
    expect(error.message).to.contain(`ERROR at Row:1:Column:${soql.indexOf('Profile.Nme') + 1}\n`);
    expect(error.message).to.contain("No such column 'Nme' on entity 'Profile'.");
  });

  it('unknown field in ORDER BY, in a child subquery and in a semi-join', () => {
    expect(failure('SELECT Id FROM User ORDER BY Bogus').message).to.contain("No such column 'Bogus' on entity 'User'");
    expect(failure('SELECT Id, (SELECT Bogus FROM PermissionSetAssignments) FROM User').message).to.contain(
      "No such column 'Bogus' on entity 'PermissionSetAssignment'"
    );
    expect(failure('SELECT Id FROM User WHERE Id IN (SELECT Bogus FROM PermissionSetAssignment)').message).to.contain(
      "No such column 'Bogus' on entity 'PermissionSetAssignment'"
    );
  });

  it('reports the object first, then the SELECT list, then WHERE', () => {
    expect(failure('SELECT Foo FROM Bar WHERE Baz = 1').errorCode).to.equal('INVALID_TYPE');
    expect(failure('SELECT Foo FROM User WHERE Baz = 1').message).to.contain("No such column 'Foo'");
    expect(failure('SELECT Id FROM User WHERE Baz = 1 ORDER BY Qux').message).to.contain("No such column 'Baz'");
  });

  it('a custom field without __c is unknown', () => {
    expect(failure('SELECT Credit_Limit FROM Account').errorCode).to.equal('INVALID_FIELD');
    expect(failure('SELECT Credit_Limit__c FROM Contact').errorCode).to.equal('INVALID_FIELD');
  });

  it('unknown relationship in a path → INVALID_FIELD "Didn\'t understand relationship"', () => {
    const error = failure('SELECT Id, Profil.Name FROM User');
    expect(error.errorCode).to.equal('INVALID_FIELD');
    expect(error.message).to.equal(
      "\nSELECT Id, Profil.Name FROM User\n           ^\nERROR at Row:1:Column:12\nDidn't understand relationship 'Profil' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
    );
    // a plain field is not a relationship, and a custom relationship needs __r
    expect(failure('SELECT Name.Foo FROM User').message).to.contain("Didn't understand relationship 'Name'");
    expect(failure('SELECT Account__c.Name FROM Invoice__c').message).to.contain("Didn't understand relationship 'Account__c'");
    expect(failure('SELECT Id FROM User WHERE Profile.License.Name = null').message).to.contain("Didn't understand relationship 'License'");
  });

  it('unknown child relationship → INVALID_TYPE', () => {
    const error = failure('SELECT Id, (SELECT Id FROM Assignments) FROM User');
    expect(error.errorCode).to.equal('INVALID_TYPE');
    expect(error.message).to.contain("Didn't understand relationship 'Assignments' in FROM part of query call.");
  });

  it('a literal of the wrong type for the field → INVALID_FIELD', () => {
    const bool = failure("SELECT Id FROM User WHERE IsActive = 'true'");
    expect(bool.errorCode).to.equal('INVALID_FIELD');
    expect(bool.message).to.contain("value of filter criterion for field 'IsActive' must be of type boolean and should not be enclosed in quotes");
    expect(failure('SELECT Id FROM User WHERE Username = 5').message).to.contain('must be of type string and should be enclosed in quotes');
    expect(failure("SELECT Id FROM User WHERE CreatedDate > '2020-01-01T00:00:00Z'").message).to.contain('must be of type dateTime');
    expect(failure('SELECT Id FROM User WHERE CreatedDate > 2020-01-01').message).to.contain('must be of type dateTime');
    expect(failure("SELECT Id FROM Account WHERE Credit_Limit__c > '5'").message).to.contain('must be of type double');
    expect(failure('SELECT Id FROM Account WHERE LastActivityDate > 2020-01-01T00:00:00Z').message).to.contain('must be of type date');
  });

  it('a malformed Id literal → INVALID_QUERY_FILTER_OPERATOR', () => {
    const error = failure("SELECT Id FROM User WHERE Id = 'not-an-id'");
    expect(error.errorCode).to.equal('INVALID_QUERY_FILTER_OPERATOR');
    expect(error.message).to.contain('invalid ID field: not-an-id');
    expect(failure("SELECT Id FROM User WHERE ProfileId IN ('00e000000000001AAA', 'x')").errorCode).to.equal('INVALID_QUERY_FILTER_OPERATOR');
  });

  it('semi-joins need Id or reference fields on both sides', () => {
    expect(failure('SELECT Id FROM User WHERE Username IN (SELECT AssigneeId FROM PermissionSetAssignment)').errorCode).to.equal('INVALID_FIELD');
    expect(failure('SELECT Id FROM User WHERE Id IN (SELECT IsActive FROM PermissionSetAssignment)').errorCode).to.equal('INVALID_FIELD');
    expect(failure('SELECT Id FROM User WHERE Id IN (SELECT Id, AssigneeId FROM PermissionSetAssignment)').errorCode).to.equal('MALFORMED_QUERY');
  });

  it('aggregate queries must group or aggregate every field', () => {
    const error = failure('SELECT Username, COUNT(Id) FROM User');
    expect(error.errorCode).to.equal('MALFORMED_QUERY');
    expect(error.message).to.contain('Field must be grouped or aggregated: Username');
    expect(failure('SELECT Id, COUNT() FROM User').errorCode).to.equal('MALFORMED_QUERY');
    expect(failure('SELECT ProfileId, COUNT(Id) FROM User GROUP BY ProfileId ORDER BY Username').message).to.contain(
      'Ordered field must be grouped or aggregated: Username'
    );
    expect(failure('SELECT Id FROM User ORDER BY COUNT(Id)').errorCode).to.equal('MALFORMED_QUERY');
    expect(failure('SELECT SUM(Username) FROM User').message).to.contain('field Username does not support aggregate operator SUM');
    expect(failure('SELECT MAX() FROM User').message).to.contain("unexpected token: ')'");
    expect(failure('SELECT Id, (SELECT COUNT(Id) FROM PermissionSetAssignments) FROM User').errorCode).to.equal('MALFORMED_QUERY');
  });

  it('the same column selected twice → INVALID_FIELD', () => {
    const error = failure('SELECT Id, Username, ID FROM User');
    expect(error.errorCode).to.equal('INVALID_FIELD');
    expect(error.message).to.equal('duplicate field selected: ID');
    expect(failure('SELECT u.Profile.Name, Profile.name FROM User u').errorCode).to.equal('INVALID_FIELD');
    expect(failure('SELECT Id, (SELECT Id, id FROM PermissionSetAssignments) FROM User').errorCode).to.equal('INVALID_FIELD');
  });

  it('OFFSET above 2,000 → NUMBER_OUTSIDE_VALID_RANGE', () => {
    const error = failure('SELECT Id FROM User OFFSET 2001');
    expect(error.errorCode).to.equal('NUMBER_OUTSIDE_VALID_RANGE');
    expect(error.message).to.contain('Maximum SOQL offset allowed is 2000');
  });

  it('reports positions on later lines of a multi-line query', () => {
    const error = failure('SELECT Id,\n  Bogus__c\nFROM User');
    expect(error.message).to.equal(
      "\n  Bogus__c\n  ^\nERROR at Row:2:Column:3\nNo such column 'Bogus__c' on entity 'User'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
    );
  });
});
