// Worker-thread entry of the input pipeline. A worker starts with a fresh module system, so it
// registers tsx first and then loads the TypeScript implementation (works under Jest and tsx).
require('tsx/cjs');
require('./pipeline-worker-main.ts');
