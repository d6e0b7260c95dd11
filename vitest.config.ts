import { defineConfig } from 'vitest/config'

// Tests run on the TypeScript sources of the workspace packages (the `@hms-admin/source`
// export condition); spawned CLI processes use the built `dist` that `npm test` builds first.
export default defineConfig({
  resolve: { conditions: ['@hms-admin/source'] },
  ssr: { resolve: { conditions: ['@hms-admin/source'] } },
  // Bounds that catch a hang, not speed goals: PGlite work in a loaded CI container can take tens of seconds.
  test: {
    include: [
      '{core,migrations,database,server,cli,widget}/{src,test}/**/*.test.ts',
      'e2e/**/*.test.ts',
      'packaging/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test-support/announce-test-environment.ts'],
    restoreMocks: true,
    allowOnly: false,
  },
})
