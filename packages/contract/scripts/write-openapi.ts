// `pnpm --filter @twofold/contract openapi`: writes openapi.json from the sources.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiText } from './openapi-document.js';

const target = fileURLToPath(new URL('../openapi.json', import.meta.url));
writeFileSync(target, openApiText());
console.log(`wrote ${target}`);
