import { packageBuild } from '../../tsup.base';

// `jts-audit` (the verify CLI) is its own entry, exposed through package.json "bin".
export default packageBuild({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
});
