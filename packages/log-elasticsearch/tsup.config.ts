import { packageBuild } from '../../tsup.base';

// The shipper runs in a pino worker-thread transport that thread-stream loads by file path at run
// time, so the worker is built as its own entry beside the package entry, in both formats:
// `dist/elasticsearch-transport.js` next to `dist/index.js`, `.cjs` next to `dist/index.cjs`.
export default packageBuild({
  entry: { index: 'src/index.ts', 'elasticsearch-transport': 'src/transport.ts' },
});
