/**
 * TEMPORARY. `zod` is not a dependency of @aftercare/device-sim and core does not re-export it, so a
 * bare `import { z } from 'zod'` does not resolve here. This borrows core's copy (the same module
 * instance core's schemas use). Once `zod` is listed in device-sim/package.json this file becomes
 * `export { z } from 'zod';` and nothing else changes.
 */
export { z } from '../../core/node_modules/zod/index.js';
