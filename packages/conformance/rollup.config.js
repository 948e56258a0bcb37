import { packageConfig } from '../../rollup.base.js';

export default packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts' });
