import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { DatabaseSecretError, invalidateCredentials, poolConfigFor } from './db';

// Secrets Manager has no local server: faked with aws-sdk-client-mock (the database itself is never mocked).
const secrets = mockClient(SecretsManagerClient);
const rds = {
  kind: 'rds' as const,
  host: 'acme.cluster-xyz.eu-west-1.rds.amazonaws.com',
  port: 5432,
  database: 'flota',
  poolSize: 2,
};

beforeAll(() => {
  process.env.AWS_REGION ??= 'eu-west-1';
});
afterEach(() => secrets.reset());

describe('poolConfigFor (RDS)', () => {
  it('reads user and password from the RDS-managed secret and verifies TLS', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'flota_admin', password: 'p1' }) });
    const config = await poolConfigFor({ ...rds, secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:a' });
    expect(config).toMatchObject({ host: rds.host, port: 5432, database: 'flota', user: 'flota_admin', max: 2, ssl: { rejectUnauthorized: true } });
    expect(typeof config.password).toBe('function');
    await expect((config.password as () => Promise<string>)()).resolves.toBe('p1');
  });

  it('caches the secret across new connections, and re-reads it after invalidateCredentials (rotation)', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ username: 'u', password: 'old' }) })
      .resolves({ SecretString: JSON.stringify({ username: 'u', password: 'rotated' }) });
    const config = await poolConfigFor({ ...rds, secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:b' });
    const password = config.password as () => Promise<string>;
    await expect(password()).resolves.toBe('old');
    await expect(password()).resolves.toBe('old');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    invalidateCredentials();
    await expect(password()).resolves.toBe('rotated');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fails with a clear error when the secret lacks username/password', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ user: 'x' }) });
    const error = await poolConfigFor({ ...rds, secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:c' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSecretError);
    expect((error as Error).message).toBe(
      'secret arn:aws:secretsmanager:eu-west-1:1:secret:c must be JSON with non-empty "username" and "password"',
    );
  });
});
