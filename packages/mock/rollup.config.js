import { packageConfig } from '../../rollup.base.js';

export default packageConfig({
  index: 'src/index.ts',
  node: 'src/node.ts',
  browser: 'src/browser.ts',
  authenticator: 'src/authenticator.ts',
});
