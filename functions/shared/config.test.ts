import { ConfigError, loadApiConfig, loadDatabaseConfig, loadIngestConfig, loadTenantId } from './config';
import { MAX_PAYLOAD_BYTES } from '../../contract/record';

const rds = {
  FLOTA_DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234',
  FLOTA_DB_HOST: 'acme.cluster-xyz.eu-west-1.rds.amazonaws.com',
  FLOTA_DB_PORT: '5432',
  FLOTA_DB_NAME: 'flota',
  FLOTA_DB_POOL_SIZE: '3',
};

describe('loadDatabaseConfig', () => {
  it('reads the RDS settings', () => {
    expect(loadDatabaseConfig(rds)).toEqual({
      kind: 'rds',
      secretArn: rds.FLOTA_DB_SECRET_ARN,
      host: rds.FLOTA_DB_HOST,
      port: 5432,
      database: 'flota',
      poolSize: 3,
    });
  });

  it('selects IAM database authentication as its own role when FLOTA_DB_USER is set (API, ingest: no secret)', () => {
    const { FLOTA_DB_SECRET_ARN: _secret, ...endpoint } = rds;
    expect(loadDatabaseConfig({ ...endpoint, FLOTA_DB_USER: 'flota_api', AWS_REGION: 'eu-west-1' })).toEqual({
      kind: 'iam',
      user: 'flota_api',
      host: rds.FLOTA_DB_HOST,
      port: 5432,
      database: 'flota',
      region: 'eu-west-1',
      poolSize: 3,
    });
    expect(() => loadDatabaseConfig({ FLOTA_DB_USER: 'flota_api' })).toThrow(/FLOTA_DB_HOST is not set[\s\S]*AWS_REGION is not set/);
  });

  it('defaults the port to 5432 and the pool size to 2', () => {
    const { FLOTA_DB_PORT: _port, FLOTA_DB_POOL_SIZE: _size, ...rest } = rds;
    expect(loadDatabaseConfig(rest)).toMatchObject({ port: 5432, poolSize: 2 });
  });

  it('lets DATABASE_URL override everything (local and tests)', () => {
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgres://u:p@localhost:5433/x', FLOTA_DB_POOL_SIZE: '5' })).toEqual({
      kind: 'url',
      connectionString: 'postgres://u:p@localhost:5433/x',
      poolSize: 5,
    });
  });

  it('fails naming every missing variable and the DATABASE_URL alternative', () => {
    const error = (() => {
      try {
        loadDatabaseConfig({ FLOTA_DB_HOST: 'h' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toEqual([
      'FLOTA_DB_SECRET_ARN is not set (the tenant stack sets it; locally export FLOTA_DB_SECRET_ARN=…)',
      'FLOTA_DB_NAME is not set (the tenant stack sets it; locally export FLOTA_DB_NAME=…)',
      '(set DATABASE_URL instead to connect without Secrets Manager, e.g. locally)',
    ]);
  });

  it.each([
    [{ FLOTA_DB_POOL_SIZE: '0' }, /FLOTA_DB_POOL_SIZE="0" must be > 0/],
    [{ FLOTA_DB_POOL_SIZE: 'many' }, /FLOTA_DB_POOL_SIZE="many"/],
    [{ FLOTA_DB_PORT: '70000' }, /FLOTA_DB_PORT="70000"/],
  ])('fails on a malformed value %j naming it', (override, message) => {
    expect(() => loadDatabaseConfig({ ...rds, ...override })).toThrow(message);
  });
});

describe('function configs', () => {
  it('reads the ingest settings', () => {
    expect(loadIngestConfig({ FLOTA_TENANT_ID: 'acme', FLOTA_FRESHNESS_THRESHOLD_S: '300' })).toEqual({
      tenantId: 'acme',
      freshnessThresholdSeconds: 300,
      records: { types: null, maxPayloadBytes: MAX_PAYLOAD_BYTES },
    });
  });

  it("reads the tenant's record policy (FLOTA_RECORD_TYPES, FLOTA_MAX_PAYLOAD_BYTES)", () => {
    const env = { FLOTA_TENANT_ID: 'acme', FLOTA_FRESHNESS_THRESHOLD_S: '300' };
    expect(loadIngestConfig({ ...env, FLOTA_RECORD_TYPES: '["order.created","order.payment.*"]', FLOTA_MAX_PAYLOAD_BYTES: '65536' }).records).toEqual({
      types: ['order.created', 'order.payment.*'],
      maxPayloadBytes: 65536,
    });
  });

  it.each([
    [{ FLOTA_RECORD_TYPES: 'order.created' }, /FLOTA_RECORD_TYPES="order.created" must be a JSON array of record types, e\.g\. \["order.created"/],
    [{ FLOTA_RECORD_TYPES: '{"a":1}' }, /FLOTA_RECORD_TYPES="\{\\"a\\":1\}" must be a JSON array of record types/],
    [{ FLOTA_RECORD_TYPES: '[]' }, /FLOTA_RECORD_TYPES="\[\]" must list at least one type \(unset it to accept any type\)/],
    [{ FLOTA_MAX_PAYLOAD_BYTES: '204801' }, /FLOTA_MAX_PAYLOAD_BYTES="204801" must be at most 204800/],
    [{ FLOTA_MAX_PAYLOAD_BYTES: '0' }, /FLOTA_MAX_PAYLOAD_BYTES="0" must be > 0/],
  ])('fails on a malformed record policy %j naming it', (override, message) => {
    expect(() => loadIngestConfig({ FLOTA_TENANT_ID: 'acme', FLOTA_FRESHNESS_THRESHOLD_S: '300', ...override })).toThrow(message);
  });

  it('fails if the freshness threshold is missing', () => {
    expect(() => loadIngestConfig({ FLOTA_TENANT_ID: 'acme' })).toThrow(/FLOTA_FRESHNESS_THRESHOLD_S is not set/);
  });

  it('reads the API settings', () => {
    expect(
      loadApiConfig({
        FLOTA_TENANT_ID: 'acme',
        FLOTA_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:flota-acme',
        FLOTA_LATENCY_THRESHOLD_MS: '250',
        FLOTA_MAX_BODY_BYTES: '262144',
      }),
    ).toEqual({
      tenantId: 'acme',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:flota-acme',
      latencyThresholdMs: 250,
      maxBodyBytes: 262144,
      records: { types: null, maxPayloadBytes: MAX_PAYLOAD_BYTES },
    });
  });

  it('fails on a malformed tenant id', () => {
    expect(() => loadTenantId({ FLOTA_TENANT_ID: 'acme corp' })).toThrow(/FLOTA_TENANT_ID="acme corp" must be a tenant id/);
  });
});
