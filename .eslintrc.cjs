// ESLint 8 legacy config: the newest eslint-config-salesforce-typescript (4.0.1) and
// eslint-plugin-sf-plugin (1.20.33) served by the registry here are both eslintrc-style.
module.exports = {
  extends: ['eslint-config-salesforce-typescript', 'plugin:sf-plugin/recommended'],
  root: true,
  rules: {
    // third-party plugin: no Salesforce copyright header
    header: 'off',
  },
  overrides: [
    {
      // The commands extend IntegrationCommand (src/commandBase.ts): SfCommand itself, flags and baseFlags inherited
      // untouched, with only the log hand-over to the host sf added; these two rules assume a base that adds flags.
      files: ['src/commands/**/*.ts'],
      rules: { 'sf-plugin/only-extend-SfCommand': 'off', 'sf-plugin/spread-base-flags': 'off' },
    },
  ],
};
