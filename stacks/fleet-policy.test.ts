/**
 * Policy tests over the synthesized JSON of the WHOLE shipped fleet (tenants/): the security properties flota promises,
 * checked on what Terraform will actually receive. The fleet is synthesized once for the file.
 */
import { loadFleet } from '../fleet';
import type { FleetModel, TenantModel } from '../fleet/model/types';
import { ENI_DESCRIBE_SID } from './constructs/tenant-function';
import { CLOUDWATCH_METRIC_READ_ACTIONS } from './constructs/grafana-workspace';
import { API_GATEWAY_LOGS_MANAGED_POLICY } from './constructs/api-gateway-logging';
import { testBundles } from './testing/test-bundles';
import {
  asList,
  policiesOf,
  resourcesOf,
  synthesizeToTemp,
  type FoundPolicy,
  type PolicyStatementJson,
  type StackJson,
  type SynthesizedFleet,
} from './testing/synth';

let fleet: FleetModel;
let synthesized: SynthesizedFleet;
let stacks: [string, StackJson][];
let policies: FoundPolicy[];

beforeAll(() => {
  fleet = loadFleet('tenants');
  synthesized = synthesizeToTemp({ fleet, bundles: testBundles(), migrationsChecksum: 'policy-test' });
  stacks = Object.entries(synthesized.stacks);
  policies = stacks.flatMap(([name, stack]) => policiesOf(name, stack));
});
afterAll(() => synthesized.cleanup());

function all(type: string): [string, string, Record<string, unknown>][] {
  return stacks.flatMap(([stackName, stack]) =>
    Object.entries(resourcesOf(stack, type)).map(([id, resource]) => [stackName, id, resource] as [string, string, Record<string, unknown>]),
  );
}

function tenantStack(tenant: TenantModel): StackJson {
  const stack = synthesized.stacks[tenant.stackName];
  if (stack === undefined) throw new Error(`no stack ${tenant.stackName}`);
  return stack;
}

const where = (stack: string, id: string) => `${stack}: ${id}`;

test('the shipped fleet synthesizes the platform stack and one stack per tenant', () => {
  expect(fleet.tenants.length).toBeGreaterThanOrEqual(50);
  for (const tenant of fleet.tenants) expect(synthesized.stacks[tenant.stackName]).toBeDefined();
  expect(synthesized.stacks[fleet.platformStackName]).toBeDefined();
});

describe('state', () => {
  test('every stack has its own encrypted S3 state key with S3-native locking', () => {
    const keys = stacks.map(([name, stack]) => {
      expect(stack.terraform.backend.s3).toMatchObject({
        key: `${fleet.state.keyPrefix}/${name}.tfstate`,
        encrypt: true,
        use_lockfile: true,
      });
      return stack.terraform.backend.s3['key'];
    });
    expect(new Set(keys).size).toBe(stacks.length);
  });

  test('no stack reads another stack state (a tenant plans on its own)', () => {
    for (const [, stack] of stacks) expect(stack.data?.['terraform_remote_state']).toBeUndefined();
  });
});

describe('no public database', () => {
  test('every database is private, encrypted and protected from deletion', () => {
    const databases = all('aws_db_instance');
    expect(databases).toHaveLength(fleet.tenants.length);
    for (const [, , db] of databases) {
      expect(db).toMatchObject({
        publicly_accessible: false,
        storage_encrypted: true,
        kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./),
        deletion_protection: true,
        skip_final_snapshot: false,
      });
    }
  });

  test('no security group rule is open to an address range; database ingress comes from a security group only', () => {
    for (const [stack, id, rule] of all('aws_vpc_security_group_ingress_rule')) {
      expect([where(stack, id), rule['cidr_ipv4'], rule['cidr_ipv6']]).toEqual([where(stack, id), undefined, undefined]);
      expect(rule['referenced_security_group_id']).toMatch(/^\$\{aws_security_group\./);
    }
    for (const [, , group] of all('aws_security_group')) {
      for (const ingress of asList(group['ingress'] as Record<string, unknown>[] | undefined)) {
        expect(ingress['cidr_blocks']).not.toContain('0.0.0.0/0');
      }
    }
  });
});

describe('encryption at rest with KMS', () => {
  const kmsRef = /^\$\{aws_kms_key\.[^}]+\.arn\}$/;
  test.each([
    ['aws_sqs_queue', 'kms_master_key_id'],
    ['aws_sns_topic', 'kms_master_key_id'],
    ['aws_cloudwatch_log_group', 'kms_key_id'],
    ['aws_secretsmanager_secret', 'kms_key_id'],
    ['aws_db_instance', 'master_user_secret_kms_key_id'],
  ])('every %s sets %s to a customer-managed key', (type, attribute) => {
    const resources = all(type);
    expect(resources.length).toBeGreaterThan(0);
    for (const [stack, id, resource] of resources) {
      expect([where(stack, id), resource[attribute]]).toEqual([where(stack, id), expect.stringMatching(kmsRef)]);
    }
  });

  test('every KMS key rotates', () => {
    for (const [, , key] of all('aws_kms_key')) expect(key['enable_key_rotation']).toBe(true);
  });
});

describe('TLS only', () => {
  function deniesInsecureTransport(policyText: string, resourceRef: string): boolean {
    const statements = (JSON.parse(policyText) as { Statement: PolicyStatementJson[] }).Statement;
    return statements.some(
      (s) =>
        s.Effect === 'Deny' &&
        s.Principal === '*' &&
        asList(s.Resource).includes(resourceRef) &&
        (s.Condition?.['Bool'] as Record<string, unknown> | undefined)?.['aws:SecureTransport'] === 'false',
    );
  }

  test('every topic has a policy denying non-TLS requests', () => {
    for (const [stackName, stack] of stacks) {
      const policies = Object.values(resourcesOf(stack, 'aws_sns_topic_policy'));
      for (const id of Object.keys(resourcesOf(stack, 'aws_sns_topic'))) {
        const ref = `\${aws_sns_topic.${id}.arn}`;
        const policy = policies.find((p) => p['arn'] === ref);
        expect([where(stackName, id), policy !== undefined && deniesInsecureTransport(policy['policy'] as string, ref)]).toEqual([
          where(stackName, id),
          true,
        ]);
      }
    }
  });

  test('every queue (DLQs included) has a policy denying non-TLS requests', () => {
    for (const [stackName, stack] of stacks) {
      const policies = Object.values(resourcesOf(stack, 'aws_sqs_queue_policy'));
      for (const id of Object.keys(resourcesOf(stack, 'aws_sqs_queue'))) {
        const policy = policies.find((p) => p['queue_url'] === `\${aws_sqs_queue.${id}.url}`);
        const ok = policy !== undefined && deniesInsecureTransport(policy['policy'] as string, `\${aws_sqs_queue.${id}.arn}`);
        expect([where(stackName, id), ok]).toEqual([where(stackName, id), true]);
      }
    }
  });
});

test('every queue redrives to a dead-letter queue in its own stack (or is one)', () => {
  for (const [stackName, stack] of stacks) {
    const queues = resourcesOf(stack, 'aws_sqs_queue');
    const targets = new Set<string>();
    for (const queue of Object.values(queues)) {
      if (typeof queue['redrive_policy'] === 'string') {
        const target = (JSON.parse(queue['redrive_policy']) as { deadLetterTargetArn: string }).deadLetterTargetArn;
        targets.add(target.replace(/^\$\{aws_sqs_queue\.(.+)\.arn\}$/, '$1'));
      }
    }
    for (const [id, queue] of Object.entries(queues)) {
      const ok = typeof queue['redrive_policy'] === 'string' ? targets.has(id) === false && [...targets].every((t) => t in queues) : targets.has(id);
      expect([where(stackName, id), ok]).toEqual([where(stackName, id), true]);
    }
  }
});

describe('least privilege', () => {
  const isWildcardAction = (action: string) => action === '*' || action.endsWith(':*');

  test('no statement anywhere allows the action "*"', () => {
    const violations = policies.flatMap((policy) =>
      policy.statements.filter((s) => asList(s.Action).includes('*')).map((s) => `${policy.stack} ${policy.id} ${s.Sid}`),
    );
    expect(violations).toEqual([]);
  });

  test('no Allow grants a whole service ("svc:*"), except the account root administering a KMS key', () => {
    const violations: string[] = [];
    for (const policy of policies) {
      for (const statement of policy.statements.filter((s) => s.Effect === 'Allow')) {
        const rootAdmin = policy.type === 'aws_kms_key' && statement.Sid === 'AccountRootAdministersKey';
        for (const action of asList(statement.Action).filter(isWildcardAction)) {
          if (!(rootAdmin && action === 'kms:*')) violations.push(`${policy.stack} ${policy.id} ${statement.Sid}: ${action}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  /**
   * The documented exceptions to "no `*` resource": actions AWS offers NO resource-level permissions for. Each is
   * pinned by Sid and may contain only the listed actions.
   */
  const STAR_RESOURCE_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
    // VPC-attached Lambda functions: EC2 Describe* (stacks/constructs/tenant-function.ts).
    [ENI_DESCRIBE_SID]: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
    // Grafana workspace role: CloudWatch metric reads, narrowed by aws:RequestedRegion (stacks/constructs/grafana-workspace.ts).
    ReadCloudWatchMetricsInFleetRegion: CLOUDWATCH_METRIC_READ_ACTIONS,
  };

  test('role policies name their resources; "*" only in the documented statements for actions without resource-level permissions', () => {
    const rolePolicies = policies.filter((p) => p.type === 'aws_iam_role_policy');
    expect(rolePolicies.length).toBeGreaterThanOrEqual(3 * fleet.tenants.length);
    const violations: string[] = [];
    for (const policy of rolePolicies) {
      for (const statement of policy.statements) {
        const resources = asList(statement.Resource);
        if (resources.length === 0) violations.push(`${policy.stack} ${policy.id} ${statement.Sid}: no resource`);
        if (!resources.includes('*')) continue;
        const allowed = STAR_RESOURCE_EXCEPTIONS[statement.Sid ?? ''];
        const actions = asList(statement.Action);
        if (allowed === undefined || resources.length !== 1 || !actions.every((a) => allowed.includes(a))) {
          violations.push(`${policy.stack} ${policy.id} ${statement.Sid}: ${actions.join(',')} on "*"`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  test('the only managed policy attached anywhere is API Gateway logging, on the platform stack', () => {
    const attachments = all('aws_iam_role_policy_attachment');
    for (const [stack, , attachment] of attachments) {
      expect(stack).toBe(fleet.platformStackName);
      expect(attachment['policy_arn']).toMatch(new RegExp(`:iam::aws:policy/${API_GATEWAY_LOGS_MANAGED_POLICY}$`));
    }
  });
});

describe('tenant isolation', () => {
  /** Physical names unique to one tenant (queue, topic, functions, roles, log groups, secret, …) → that tenant's id. */
  function ownerOfName(): Map<string, string> {
    const owners = new Map<string, Set<string>>();
    for (const tenant of fleet.tenants) {
      for (const value of Object.values(tenant.names)) {
        if (typeof value !== 'string' || value.length === 0) continue;
        owners.set(value, (owners.get(value) ?? new Set()).add(tenant.id));
      }
    }
    // Names every tenant shares (the API stage name, e.g. the environment) identify nobody.
    return new Map([...owners].filter(([, ids]) => ids.size === 1).map(([name, ids]) => [name, [...ids][0]!]));
  }
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  test('no tenant stack mentions a name of any other tenant (so none of its roles or policies can reach one)', () => {
    const owners = ownerOfName();
    // Longest names first, and "not part of a longer name" on both sides, so flota-acme never matches flota-acme-eu.
    const names = [...owners.keys()].sort((x, y) => y.length - x.length).map(escape);
    const pattern = new RegExp(`(?<![A-Za-z0-9_-])(${names.join('|')})(?![A-Za-z0-9_-])`, 'g');
    const violations: string[] = [];
    for (const a of fleet.tenants) {
      const text = JSON.stringify(tenantStack(a));
      for (const match of text.matchAll(pattern)) {
        const owner = owners.get(match[1]!);
        if (owner !== a.id) violations.push(`${a.stackName} mentions '${match[1]}' of tenant ${owner}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test("a tenant's role policies reference only resources of its own stack (or its own names)", () => {
    const violations: string[] = [];
    for (const a of fleet.tenants) {
      const own = Object.values(a.names).filter((value): value is string => typeof value === 'string');
      for (const policy of policiesOf(a.stackName, tenantStack(a)).filter((p) => p.type === 'aws_iam_role_policy')) {
        for (const statement of policy.statements) {
          for (const resource of asList(statement.Resource)) {
            const sameStackRef = /^\$\{aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z0-9_.[\]]+\}(:\*)?$/.test(resource);
            const eniScoped = resource === '*' || /:ec2:[a-z0-9-]+:\$\{data\.aws_caller_identity\.[^}]+\}:\*$/.test(resource);
            const ownName = own.some((name) => resource.endsWith(`:${name}`) || resource.endsWith(`:${name}:*`));
            // rds-db:connect: a db user of this stack's own instance (its DbiResourceId), never a wildcard.
            const ownDbUser = /:rds-db:[a-z0-9-]+:\$\{data\.aws_caller_identity\.[^}]+\}:dbuser:\$\{aws_db_instance\.[A-Za-z0-9_-]+\.resource_id\}\/[a-z_]+$/.test(resource);
            if (!(sameStackRef || eniScoped || ownName || ownDbUser)) violations.push(`${a.stackName} ${policy.id}: ${resource}`);
          }
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
