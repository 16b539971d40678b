import { packageBuild } from '../../tsup.base';

// Two entry points: the stable API (`@jts/core`) and the shared process utilities
// (`@jts/core/internal`), kept apart so the stable surface stays small.
export default packageBuild({ splitting: true, entry: { index: 'src/index.ts', internal: 'src/internal-entry.ts' } });
