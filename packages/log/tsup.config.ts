import { packageBuild } from '../../tsup.base';

// The Elasticsearch shipper runs in a pino worker-thread transport, loaded by file path at run time,
// so it is built as its own entry beside the package entry.
export default packageBuild({
  entry: { index: 'src/index.ts', 'elasticsearch-transport': 'src/elasticsearch/transport.ts' },
});
