/** jest globalTeardown: stops the server started by global-setup.ts and removes its data directory. */
export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__flotaTestPostgres;
  globalThis.__flotaTestPostgres = undefined;
  if (server) await server.stop();
}
