import { defineConfig } from 'vitest/config'

// Tests run on the TypeScript sources of the workspace packages (the `@hms-admin/source`
// export condition); spawned CLI processes use the built `dist` that `npm test` builds first.
export default defineConfig({
  resolve: { conditions: ['@hms-admin/source'] },
  ssr: { resolve: { conditions: ['@hms-admin/source'] } },
  test: {
    include: ['{core,migrations,database,server,cli,widget}/{src,test}/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test-support/announce-test-environment.ts'],
    restoreMocks: true,
    allowOnly: false,
  },
})
