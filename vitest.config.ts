import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the backend's decorators with metadata exactly as the build does.
const decorators = swc.vite({
  swcrc: false,
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
});

export default defineConfig({
  plugins: [decorators],
  test: {
    // One process per file: each file gets its own database and queue prefix.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['backend/src/**/*.spec.ts', 'test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'api', include: ['test/api/**/*.test.ts'] } },
      { extends: true, test: { name: 'workers', include: ['test/workers/**/*.test.ts'] } },
      { extends: true, test: { name: 'stand-ins', include: ['test/stand-ins/**/*.test.ts'] } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 60_000 } },
    ],
  },
});
