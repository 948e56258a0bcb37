import { packageConfig } from '../../rollup.base.js';

export default packageConfig({ index: 'src/index.ts', sha1: 'src/sha1.ts', node: 'src/node.ts' });
