/**
 * Cursor keys from the tenant's dedicated secret, across a rotation: the secret is Secrets Manager (mocked with
 * aws-sdk-client-mock, AWSCURRENT / AWSPREVIOUS as Secrets Manager moves them on put-secret-value), the API and its
 * pages are the real app over a real PostgreSQL.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createApiApp } from './app';
import { CURSOR_KEYS_MAX_AGE_MS, CURSOR_KEYS_MIN_REFRESH_MS, cursorKeyringFromSecret } from './cursor-keys';
import { createRecordQueries } from './queries';
import { expectNoDatabaseErrorText, recordingErrors, seedRecords } from './test-support';
import { validateRecord } from './validate';
import { useTestDatabase } from '../../testing/use-database';
import { isDatabaseUnavailable } from '../shared/db';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:flota/acme/cursor-key-AbCdEf';
const client = new SecretsManagerClient({ region: 'eu-west-1' });
const secrets = mockClient(client);
const db = useTestDatabase();

/** The secret's versions, newest last; put() is `aws secretsmanager put-secret-value` (old AWSCURRENT → AWSPREVIOUS). */
let versions: string[] = [];
function put(value: string): void {
  versions.push(value);
}
beforeEach(() => {
  versions = [];
  secrets.reset();
  secrets.on(GetSecretValueCommand).callsFake((input: { SecretId: string; VersionStage: string }) => {
    expect(input.SecretId).toBe(SECRET);
    const value = input.VersionStage === 'AWSCURRENT' ? versions.at(-1) : versions.at(-2);
    if (value === undefined) throw new ResourceNotFoundException({ message: `no ${input.VersionStage} version`, $metadata: {} });
    return { SecretString: value };
  });
});

function apiContainer(clock: { now: number }) {
  const cursorKey = cursorKeyringFromSecret({ secretArn: SECRET, tenantId: 'acme', client, now: () => clock.now });
  return recordingErrors(createApiApp({
    tenantId: 'acme',
    queries: createRecordQueries(db.pool),
    publish: async () => 'unused',
    validateRecord,
    cursorKey,
    maxBodyBytes: 1024,
    isDatabaseUnavailable,
  }));
}
afterAll(() => expectNoDatabaseErrorText(3));

async function page(app: ReturnType<typeof apiContainer>, cursor?: string) {
  const res = await app.request(`/v1/records?limit=2${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
  const body = (await res.json()) as { items?: { id: string }[]; nextCursor?: string | null; error?: { code: string; message: string } };
  return { status: res.status, body };
}

beforeAll(async () => {
  await seedRecords(db.pool, 10, 'rot');
});

describe('cursor keys from the dedicated secret (rotation-safe)', () => {
  test('a rotated key still accepts cursors issued under the previous key, and signs new ones with the new key', async () => {
    put('first-cursor-key-0123456789');
    const clock = { now: 0 };
    const api = apiContainer(clock);
    const first = await page(api);
    expect(first.status).toBe(200);
    const oldCursor = first.body.nextCursor!;

    put('second-cursor-key-0123456789'); // rotation: AWSCURRENT = second, AWSPREVIOUS = first
    clock.now += CURSOR_KEYS_MAX_AGE_MS; // the cache expires
    const second = await page(api, oldCursor);
    expect(second.status).toBe(200);
    expect(second.body.items!.map((i) => i.id)).not.toEqual(first.body.items!.map((i) => i.id));
    const newCursor = second.body.nextCursor!;

    // A container that cached only the first key (it started before the rotation) refreshes once on a cursor it
    // cannot verify — a rotation it has not seen yet — and then accepts it.
    versions = ['first-cursor-key-0123456789'];
    const staleClock = { now: 0 };
    const stale = apiContainer(staleClock);
    await page(stale);
    versions = ['first-cursor-key-0123456789', 'second-cursor-key-0123456789'];
    staleClock.now += CURSOR_KEYS_MIN_REFRESH_MS;
    expect((await page(stale, newCursor)).status).toBe(200);

    // Two rotations later the first key is gone: its cursors get the documented 400, never a 500.
    put('third-cursor-key-0123456789');
    clock.now += CURSOR_KEYS_MAX_AGE_MS;
    const expired = await page(api, oldCursor);
    expect(expired.status).toBe(400);
    expect(expired.body.error!.code).toBe('invalid_cursor');
    expect((await page(api, newCursor)).status).toBe(200); // AWSPREVIOUS = second
  });

  test('the keys are cached: one read per stage per max age, refreshes on a bad cursor at most every 30 s', async () => {
    put('only-cursor-key-0123456789');
    const clock = { now: 0 };
    const api = apiContainer(clock);
    await page(api);
    await page(api);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2); // AWSCURRENT + AWSPREVIOUS (absent), once
    expect((await page(api, 'eyJ2IjoxfQ.AAAA')).status).toBe(400); // refresh refused: too soon
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    clock.now += CURSOR_KEYS_MIN_REFRESH_MS;
    expect((await page(api, 'eyJ2IjoxfQ.AAAA')).body.error!.code).toBe('invalid_cursor');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(4);
  });

  test('a secret without a usable value fails loudly (500 with a request id), not with a guessable key', async () => {
    put('short');
    const res = await apiContainer({ now: 0 }).request('/v1/records');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('short');
  });
});
