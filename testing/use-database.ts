/**
 * jest hooks for the common case of a test file that works on one migrated database: created before the file's tests,
 * dropped after them, and (with `truncateRecords`) `records` emptied before each test.
 */
import { createTestDatabase, type CreateTestDatabaseOptions, type TestDatabase } from './database';

export interface UseTestDatabaseOptions extends CreateTestDatabaseOptions {
  /** `TRUNCATE records` before each test (default false). */
  truncateRecords?: boolean;
}

/** Registers the hooks and returns a handle whose fields read the database of the running file (valid from beforeAll on). */
export function useTestDatabase(options: UseTestDatabaseOptions = {}): TestDatabase {
  const { truncateRecords = false, ...createOptions } = options;
  let db: TestDatabase | undefined;
  const current = (): TestDatabase => {
    if (!db) throw new Error('useTestDatabase: the database is only available inside tests and hooks');
    return db;
  };
  beforeAll(async () => {
    db = await createTestDatabase(createOptions);
  });
  afterAll(async () => {
    await db?.drop();
  });
  if (truncateRecords) {
    beforeEach(async () => {
      await current().pool.query('TRUNCATE records');
    });
  }
  return {
    get name() {
      return current().name;
    },
    get url() {
      return current().url;
    },
    get pool() {
      return current().pool;
    },
    drop: () => current().drop(),
  };
}
