import { packageBuild } from '../../tsup.base';

// `shims` gives the CJS build an `import.meta.url`, used to load the optional @opentelemetry/api peer lazily.
export default packageBuild({ shims: true });
