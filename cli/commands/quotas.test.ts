import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, NoSuchResourceException, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { mockClient } from 'aws-sdk-client-mock';
import { shippedTenantCount } from '../../fleet/testing/shipped-fleet';
import { generatedAccountId, writeGeneratedManifest } from '../../fleet/testing/generated-manifest';
import type { CellLine } from './quotas';
import { run } from './quotas';

const quotas = mockClient(ServiceQuotasClient);
afterEach(() => quotas.reset());
afterAll(() => quotas.restore());

function capture() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) }, out: () => stdout, err: () => stderr };
}

/** A client factory that records which (cell, region) each client was made for; every client is the mocked class. */
function recordingClients() {
  const made: string[] = [];
  return {
    made,
    clientFor: (cell: { name: string }, region: string) => {
      made.push(`${cell.name}|${region}`);
      return new ServiceQuotasClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    },
  };
}

describe('flota quotas', () => {
  test('prints usage vs quota of the shipped fleet, offline, with the RDS instance increase to request', async () => {
    const { io, out } = capture();
    expect(await run([], io)).toBe(0);
    expect(out()).toContain(`cell default (the deploy account, eu-west-1): ${shippedTenantCount()} tenants`);
    expect(out()).toMatch(new RegExp(`DB instances +rds L-7B6409FD +${shippedTenantCount()} +60 +40 +increase to request`));
    expect(out()).toMatch(/Regional APIs per Region +apigateway \(fixed, no Service Quotas code\) +\d+ +600 +600 +ok/);
    expect(quotas.calls()).toHaveLength(0);
  });

  test('--aws --json reads every quota code from Service Quotas, falls back to the AWS default, and fails on an increase not granted yet', async () => {
    quotas.on(GetServiceQuotaCommand).callsFake((input: { QuotaCode: string }) => {
      if (input.QuotaCode === 'L-7B6409FD') return { Quota: { Value: 40 } }; // the increase to 60 was never requested
      if (input.QuotaCode === 'L-FE177D64') return { Quota: { Value: 1000 } };
      throw new NoSuchResourceException({ message: 'never changed', $metadata: {} });
    });
    quotas.on(GetAWSDefaultServiceQuotaCommand).callsFake((input: { QuotaCode: string }) => ({ Quota: { Value: input.QuotaCode === 'L-9FEE3D26' ? 250 : 100000 } }));
    const { io, out, err } = capture();
    const clients = recordingClients();
    expect(await run(['--aws', '--json'], io, clients.clientFor)).toBe(1);
    const [cell] = JSON.parse(out()) as CellLine[];
    const line = (key: string) => cell!.quotas.find((q) => q.key === key)!;
    expect(line('rdsDbInstances')).toMatchObject({ declared: 60, applied: 40, status: 'not granted yet', quotaCode: 'L-7B6409FD' });
    expect(line('lambdaVpcNetworkInterfaces')).toMatchObject({ applied: 250, status: 'ok' });
    // fixed limits have no quota code: never read
    expect(line('apiGatewayRegionalApis')).toMatchObject({ applied: null, status: 'ok' });
    expect(err()).toBe('✗ 1 quota below what the fleet needs: default: DB instances (request the increases: docs/delivery.md#cells-quotas-and-the-first-deploy-into-a-new-account)\n');
    // IAM is account-wide: Service Quotas serves it from us-east-1; everything else from the cell's region
    const codes = quotas.commandCalls(GetServiceQuotaCommand).map((c) => c.args[0].input.QuotaCode).sort();
    expect(codes).toEqual(['L-48C6BF61', 'L-7ADDB58A', 'L-7B6409FD', 'L-9FEE3D26', 'L-B99A9384', 'L-DE55804A', 'L-E79EC296', 'L-E8693075', 'L-FE177D64']);
    expect([...new Set(clients.made)].sort()).toEqual(['default|eu-west-1', 'default|us-east-1']);
  });

  test('--aws reads every cell of a multi-cell fleet and reports an unreadable quota without failing the others', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-quotas-'));
    try {
      writeGeneratedManifest(dir, { tenants: 60, cells: 3 });
      quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 1_000_000 } }); // every increase granted
      quotas.on(GetServiceQuotaCommand, { QuotaCode: 'L-E79EC296' }).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      const { io, out } = capture();
      const clients = recordingClients();
      expect(await run(['--tenants', dir, '--aws', '--json'], io, clients.clientFor)).toBe(0);
      const lines = JSON.parse(out()) as CellLine[];
      expect(lines.map((l) => [l.cell, l.accountId, l.tenants])).toEqual([
        ['cell-1', generatedAccountId(0), 20],
        ['cell-2', generatedAccountId(1), 20],
        ['cell-3', generatedAccountId(2), 20],
      ]);
      expect(lines[1]!.quotas.find((q) => q.key === 'vpcSecurityGroups')).toMatchObject({ applied: null, status: 'unknown', error: 'AccessDeniedException: not authorized' });
      expect(new Set(clients.made)).toEqual(new Set(['cell-1|eu-west-1', 'cell-1|us-east-1', 'cell-2|eu-west-1', 'cell-2|us-east-1', 'cell-3|eu-west-1', 'cell-3|us-east-1']));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects unknown options with the usage text', async () => {
    const { io, err } = capture();
    expect(await run(['--awss'], io)).toBe(2);
    expect(err()).toMatch(/usage: flota quotas/);
  });
});
