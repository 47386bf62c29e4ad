/**
 * "fails if …" rules of the constructs: each one rejects a model that would synthesize but misbehave on AWS, with a
 * message naming the value and the fix.
 */
import { App, TerraformStack } from 'cdktf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { testFleet, testTenant } from '../../fleet/testing/fleet-model';
import { testBundles } from '../testing/test-bundles';
import { AwsContext } from './aws-context';
import { PrivateNetwork } from './private-network';
import { TenantDatabase } from './tenant-database';
import { TenantFunction } from './tenant-function';
import { TenantMessaging } from './tenant-messaging';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-constructs-test-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function newStack(): TerraformStack {
  return new TerraformStack(new App({ outdir }), 'test');
}

const tenant = testTenant('acme');

describe('TenantMessaging', () => {
  test('fails if the visibility timeout is shorter than 6 × the ingest timeout', () => {
    const stack = newStack();
    expect(
      () =>
        new TenantMessaging(stack, 'messaging', {
          aws: new AwsContext(stack, 'aws', { region: 'eu-west-1' }),
          topicName: 't',
          queueName: 'q',
          deadLetterQueueName: 'd',
          keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/x',
          ingest: { ...tenant.ingest, timeoutSeconds: 30, visibilityTimeoutSeconds: 60 },
        }),
    ).toThrow(/visibilityTimeoutSeconds \(60\) must be ≥ 6 × ingest.timeoutSeconds \(30\).*raise it to 180/);
  });
});

describe('TenantFunction', () => {
  test('fails if the log group is not the one Lambda writes to', () => {
    const stack = newStack();
    expect(
      () =>
        new TenantFunction(stack, 'fn', {
          aws: new AwsContext(stack, 'aws', { region: 'eu-west-1' }),
          functionName: 'flota-acme-api',
          roleName: 'flota-acme-api',
          logGroupName: '/custom/flota-acme-api',
          logRetentionDays: 30,
          keyArn: 'arn',
          bundle: testBundles().api,
          timeoutSeconds: 10,
          memoryMb: 512,
          environment: {},
          subnetIds: [],
          securityGroupIds: [],
          statements: [],
        }),
    ).toThrow(/must be '\/aws\/lambda\/flota-acme-api'/);
  });
});

describe('TenantDatabase', () => {
  test('fails if the parameter group family is not PostgreSQL', () => {
    expect(
      () =>
        new TenantDatabase(newStack(), 'db', {
          database: { ...tenant.database, parameterGroupFamily: 'mysql8.0' },
          names: tenant.names,
          vpcId: 'vpc',
          clientSecurityGroupId: 'sg',
          keyArn: 'arn',
        }),
    ).toThrow(/'mysql8.0' is not a PostgreSQL family; use e.g. 'postgres17'/);
  });
});

describe('PrivateNetwork', () => {
  test('fails if fewer than two availability zones are requested', () => {
    const network = { ...testFleet().network, availabilityZoneCount: 1, privateSubnetCidrs: ['10.40.0.0/20'] };
    expect(() => new PrivateNetwork(newStack(), 'net', { network, region: 'eu-west-1', namePrefix: 'flota' })).toThrow(
      /needs ≥ 2 availability zones.*got 1 AZs, 1 CIDRs/,
    );
  });
});
