import { packageConfig } from '../../rollup.base.js';

export default packageConfig({
  index: 'src/index.ts',
  webauthn: 'src/webauthn.ts',
  dev: 'src/dev.ts',
});
