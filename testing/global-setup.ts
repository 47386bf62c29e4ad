/**
 * jest globalSetup: ONE real PostgreSQL server for the whole run (≈1 s). Test files each create their own database on it
 * (see database.ts), so they run in parallel without seeing each other's rows.
 *
 * Set FLOTA_TEST_PG_URL to a superuser URL of an existing server to use that instead (nothing is started or stopped).
 */
import { startEmbeddedPostgres, type EmbeddedServer } from '../dev/embedded-postgres';

export const TEST_PG_URL_ENV = 'FLOTA_TEST_PG_URL';

declare global {
  var __flotaTestPostgres: EmbeddedServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env[TEST_PG_URL_ENV]) return;
  const server = await startEmbeddedPostgres({
    label: 'flota-jest-pg',
    // Test data is disposable: skip durability work so the suite stays fast on 2 cores.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
  });
  globalThis.__flotaTestPostgres = server;
  // Workers are forked after globalSetup, so they inherit this.
  process.env[TEST_PG_URL_ENV] = server.url;
}
