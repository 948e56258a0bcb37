import { packageConfig } from '../../rollup.base.js';

// Only the JavaScript: an application has no type declarations to publish.
export default packageConfig({ main: 'src/main.ts' }).slice(0, 1);
