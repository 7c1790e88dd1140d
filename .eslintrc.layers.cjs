// The layer order of docs/architecture.md, enforced: a module imports only from its own layer or the layers below.
//   1 org, salesforce, terminal, formats → 2 access → 3 manifest, inventory, evidence → 4 rules, metadata → 5 audit, plan → 6 report → 7 commands, hooks
// `npm run lint` applies it with every other rule; `npm run lint:layers` (the "layers" stage of scripts/test.sh) runs only
// these rules and no import cycles, so a failure there names the layer break and nothing else.
const LAYERS = [
  ['org', 'salesforce', 'terminal', 'formats'],
  ['access'],
  ['manifest', 'inventory', 'evidence'],
  ['rules', 'metadata'],
  ['audit', 'plan'],
  ['report'],
  ['commands', 'hooks'],
];

const zones = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).flat();
  return layer.map((dir) => ({
    target: `./src/${dir}`,
    from: above.map((up) => `./src/${up}`),
    message: `layer ${index + 1} (${layer.join(', ')}) may not import from a layer above it: move the shared piece down, or let the caller pass it in (docs/architecture.md, "Layers").`,
  }));
});

module.exports = {
  plugins: ['import'],
  settings: { 'import/resolver': { [require.resolve('./scripts/eslint-resolver.cjs')]: {} } },
  rules: {
    'import/no-restricted-paths': ['error', { zones }],
    'import/no-cycle': ['error', { ignoreExternal: true }],
  },
};
