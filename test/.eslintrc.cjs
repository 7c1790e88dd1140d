module.exports = {
  extends: '../.eslintrc.cjs',
  parserOptions: { project: './test/tsconfig.json' },
  rules: {
    '@typescript-eslint/no-unused-expressions': 'off',
    'no-unused-expressions': 'off',
    '@typescript-eslint/no-explicit-any': 'off',
    '@typescript-eslint/no-non-null-assertion': 'off',
    'class-methods-use-this': 'off',
    'camelcase': 'off',
  },
};
