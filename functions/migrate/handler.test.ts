import { Logger } from '@aws-lambda-powertools/logger';
import { migrationNames, migrationsChecksum } from '../migrations';
import { createTestDatabase, type TestDatabase } from '../../testing/database';
import { createMigrateHandler } from './handler';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db.drop();
});

const logger = new Logger({ serviceName: 'migrate', logLevel: 'SILENT' });

describe('migrate handler', () => {
  const handler = () => createMigrateHandler({ pool: async () => db.pool, logger });

  it('applies the migrations, then is idempotent', async () => {
    const input = { action: 'migrate', checksum: migrationsChecksum() };
    await expect(handler()(input)).resolves.toEqual({
      applied: migrationNames(),
      current: migrationNames().at(-1),
      checksum: migrationsChecksum(),
    });
    await expect(handler()(input)).resolves.toMatchObject({ applied: [], current: migrationNames().at(-1) });
  });

  it('accepts an invocation without checksum', async () => {
    await expect(handler()({ action: 'migrate' })).resolves.toMatchObject({ checksum: migrationsChecksum() });
  });

  it('fails if the checksum does not match the bundled migrations, without migrating', async () => {
    await expect(handler()({ action: 'migrate', checksum: 'a'.repeat(64) })).rejects.toThrow(
      /does not match the bundled migrations .*redeploy the migrate function/,
    );
  });

  it.each([
    [{}, /action: action must be "migrate"/],
    [{ action: 'drop' }, /action: action must be "migrate"/],
    [{ action: 'migrate', checksum: 'xyz' }, /checksum: checksum must be 64 lowercase hex characters/],
    [{ action: 'migrate', extra: true }, /invalid migrate input/],
    ['migrate', /invalid migrate input/],
  ])('fails on invalid input %j naming the field', async (input, message) => {
    await expect(handler()(input)).rejects.toThrow(message);
  });
});
