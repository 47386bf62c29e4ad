/**
 * `npm run dev`: the whole fleet on localhost. Prints each tenant's URL and key and a curl example; Ctrl-C stops HTTP,
 * drains the local queues and stops PostgreSQL.
 *
 * Environment: PORT (HTTP, default 8787), DATABASE_URL (use this PostgreSQL superuser URL instead of the embedded
 * server), FLOTA_DEV_PG_PORT (embedded server port, default 54329), FLOTA_DEV_API_KEY (one key for every tenant),
 * FLOTA_TENANTS_DIR (default tenants), FLOTA_DEV_TENANTS (comma-separated subset).
 */
import { createDevFleet, DEV_DEFAULTS, type DevFleet } from './fleet';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not a port number (0..65535)`);
  }
  return value;
}

function banner(fleet: DevFleet): string {
  const width = Math.max(...fleet.tenants.map((t) => t.id.length));
  const urlWidth = Math.max(...fleet.tenants.map((t) => t.url.length));
  const lines = fleet.tenants.map((t) => `  ${t.id.padEnd(width)}  ${t.url.padEnd(urlWidth)}  x-api-key: ${t.apiKey}`);
  const first = fleet.tenants[0]!;
  // A fresh id per run: ids are idempotency keys, so re-posting an old one would (correctly) not store anything new.
  const id = `hello-${Date.now().toString(36)}`;
  const record = JSON.stringify({ id, type: 'demo.greeting', occurredAt: new Date().toISOString(), payload: { hello: 'world' } });
  return [
    '',
    `tenants (routes: /v1/records, /v1/records/<id>, /health under each URL):`,
    ...lines,
    '',
    'try it:',
    `  curl -s -X POST ${first.url}/v1/records -H 'x-api-key: ${first.apiKey}' -H 'content-type: application/json' \\`,
    `    -d '${record}'`,
    `  curl -s ${first.url}/v1/records/${id} -H 'x-api-key: ${first.apiKey}'`,
    `  curl -s '${first.url}/v1/records?limit=10' -H 'x-api-key: ${first.apiKey}'`,
    '',
    'Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const tenants = process.env.FLOTA_DEV_TENANTS?.split(',').map((t) => t.trim()).filter(Boolean);
  const fleet = await createDevFleet({
    port: intFromEnv('PORT', DEV_DEFAULTS.port),
    postgresPort: intFromEnv('FLOTA_DEV_PG_PORT', DEV_DEFAULTS.postgresPort),
    tenantsDir: process.env.FLOTA_TENANTS_DIR || 'tenants',
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(tenants && tenants.length > 0 ? { tenants } : {}),
    log,
  });
  process.stdout.write(banner(fleet));

  let firstSignalAt = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    // A terminal's Ctrl-C reaches this process twice when started through npm/tsx (the process group gets it, and tsx
    // relays it): only a signal well after the first one means "force".
    if (firstSignalAt !== 0) {
      if (Date.now() - firstSignalAt < 1000) return;
      log(`${signal} again: exiting now (PostgreSQL will be recovered by the next run)`);
      process.exit(130);
    }
    firstSignalAt = Date.now();
    log(`\n${signal}: stopping (press Ctrl-C again to force)`);
    fleet.stop().then(
      () => {
        log('stopped.');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`error while stopping: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  const error = err as Error;
  // Expected failures (bad manifest, busy port) carry an actionable message; anything else gets its stack.
  const known = ['ManifestValidationError', 'LocalPostgresError', 'ConfigError'].includes(error.name) || /already in use|unknown tenant/.test(error.message);
  console.error(`flota dev: ${known ? error.message : (error.stack ?? String(err))}`);
  process.exit(1);
});
