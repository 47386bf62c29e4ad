/**
 * `flota validate --aws`: contact secrets known before plan. Secrets Manager is mocked with aws-sdk-client-mock
 * (DescribeSecret only: the check never reads a value).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSecretCommand, GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { run } from './validate';
import { contactSecretsToCheck } from '../../fleet';
import { shippedTenantCount } from '../../fleet/testing/shipped-fleet';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = 'fleet/manifest/fixtures/bad/missing-secret';
const secrets = mockClient(SecretsManagerClient);

/** Secrets Manager with exactly these secrets (plus, optionally, some scheduled for deletion). */
function secretsManager(existing: readonly string[], deleted: readonly string[] = []): void {
  secrets.reset();
  secrets.on(DescribeSecretCommand).callsFake(async (input: { SecretId: string }) => {
    if (existing.includes(input.SecretId)) return { Name: input.SecretId };
    if (deleted.includes(input.SecretId)) return { Name: input.SecretId, DeletedDate: new Date('2026-12-01T00:00:00Z') };
    throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
  });
}

async function validate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await run(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(cwd);
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('flota validate --aws (contact secrets)', () => {
  test('passes when every contact secret of the shipped fleet exists, looking them up without reading a value', async () => {
    const { secrets: named } = contactSecretsToCheck(path.join(ROOT, 'tenants'));
    expect(named.length).toBeGreaterThan(1);
    secretsManager(named);
    const { code, stderr } = await validate('--aws');
    expect(code).toBe(0);
    expect(stderr.split('\n').slice(0, 2)).toEqual([`checked ${named.length} contact secrets in eu-west-1: 0 missing`, `✓ ${shippedTenantCount()} tenants valid`]);
    expect(secrets.commandCalls(DescribeSecretCommand).map((call) => (call.args[0].input as { SecretId: string }).SecretId).sort()).toEqual([...named]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('reports each missing secret at the field naming it: a tenant falls back to the fleet default, a fleet default cannot', async () => {
    secretsManager([], ['flota/data/slack-webhook']); // scheduled for deletion = missing
    const { code, stdout, stderr } = await validate('--aws', '--tenants', FIXTURE);
    expect(code).toBe(1);
    expect(stdout).toBe(fs.readFileSync(path.join(ROOT, FIXTURE, 'expected.txt'), 'utf8'));
    expect(stderr).toContain('checked 2 contact secrets in eu-west-1: 2 missing');
    // Only the tenant's secret missing: only that tenant's routing is reported, with its fallback.
    secretsManager(['flota/platform/pagerduty-integration-key']);
    const tenantOnly = await validate('--aws', '--tenants', FIXTURE, '--json');
    expect((JSON.parse(tenantOnly.stdout) as { file: string; message: string }[]).map((r) => [path.basename(r.file), r.message])).toEqual([
      ['alpha.yaml', expect.stringContaining("until it does, tenant alpha's ticket alerts go to the fleet-default ticket contact")],
    ]);
  });

  test('exits 2 when a secret cannot be checked (e.g. access denied), naming the permission', async () => {
    secrets.reset();
    secrets.on(DescribeSecretCommand).rejects(Object.assign(new Error('not authorized to perform secretsmanager:DescribeSecret'), { name: 'AccessDeniedException' }));
    const { code, stderr } = await validate('--aws', '--tenants', FIXTURE);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot check secret "flota/data/slack-webhook": AccessDeniedException');
    expect(stderr).toContain('needs secretsmanager:DescribeSecret');
  });

  test('without --aws nothing is looked up', async () => {
    secretsManager([]);
    expect((await validate('--tenants', FIXTURE)).code).toBe(0);
    expect(secrets.commandCalls(DescribeSecretCommand)).toHaveLength(0);
  });
});
