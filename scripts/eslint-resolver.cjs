// eslint-plugin-import resolver for this ESM TypeScript project: `./x.js` in a .ts file means `./x.ts` (NodeNext
// module resolution), which the node resolver cannot find. Everything else goes to the node resolver.
const { existsSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
const nodeResolver = require('eslint-import-resolver-node');

exports.interfaceVersion = 2;
exports.resolve = (source, file, config) => {
  if (source.startsWith('.') && source.endsWith('.js')) {
    const ts = resolve(dirname(file), `${source.slice(0, -3)}.ts`);
    if (existsSync(ts)) return { found: true, path: ts };
  }
  return nodeResolver.resolve(source, file, config);
};
