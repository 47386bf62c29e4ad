import { testFleet } from '../fleet/testing/fleet-model';
import { testBundles } from './testing/test-bundles';
import { readable } from './testing/synth';
import { onlyResource, resourcesOf, synthesizeToTemp, type StackJson, type SynthesizedFleet } from './testing/synth';

const fleet = testFleet(['acme']);
let synthesized: SynthesizedFleet;
let stack: StackJson;

beforeAll(() => {
  synthesized = synthesizeToTemp({ fleet, bundles: testBundles(), migrationsChecksum: 'x' });
  stack = synthesized.stacks['platform']!;
});
afterAll(() => synthesized.cleanup());

describe('PlatformStack', () => {
  test('stores its state under its own key with S3-native locking', () => {
    expect(stack.terraform.backend.s3).toMatchObject({ key: 'flota/test/platform.tfstate', use_lockfile: true, encrypt: true });
  });

  test('tags the VPC and private subnets with the lookup tag tenant stacks search for', () => {
    expect(onlyResource(stack, 'aws_vpc')).toMatchObject({
      cidr_block: fleet.network.vpcCidr,
      enable_dns_hostnames: true,
      tags: { 'flota:network': 'flota-test' },
    });
    const subnets = Object.values(resourcesOf(stack, 'aws_subnet'));
    expect(subnets.map((s) => s['cidr_block'])).toEqual(fleet.network.privateSubnetCidrs);
    for (const subnet of subnets) {
      expect(subnet).toMatchObject({ map_public_ip_on_launch: false, tags: { 'flota:network': 'flota-test', 'flota:subnet-tier': 'private' } });
    }
  });

  test("holds the cell's one DB subnet group and one TLS-only parameter group per (family, tier) its tenants share", () => {
    expect(onlyResource(stack, 'aws_db_subnet_group')).toMatchObject({
      name: 'flota-db-subnets',
      subnet_ids: Object.keys(resourcesOf(stack, 'aws_subnet')).map((id) => `\${aws_subnet.${id}.id}`),
    });
    expect(onlyResource(stack, 'aws_db_parameter_group')).toMatchObject({
      name: 'flota-postgres17-tier-silver',
      family: 'postgres17',
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        { name: 'max_connections', value: '200', apply_method: 'pending-reboot' },
      ],
    });
  });

  test('spreads the private subnets over distinct availability zones', () => {
    const zones = Object.values(resourcesOf(stack, 'aws_subnet')).map((s) => s['availability_zone']);
    expect(new Set(zones).size).toBe(fleet.network.availabilityZoneCount);
  });

  test('has no internet gateway, NAT gateway or public route', () => {
    for (const type of ['aws_internet_gateway', 'aws_nat_gateway', 'aws_eip', 'aws_route']) {
      expect(resourcesOf(stack, type)).toEqual({});
    }
  });

  test('reaches every AWS service of the model through a private-DNS interface endpoint', () => {
    const endpoints = Object.values(resourcesOf(stack, 'aws_vpc_endpoint'));
    expect(endpoints.map((e) => e['service_name']).sort()).toEqual(
      fleet.network.interfaceEndpoints.map((service) => `com.amazonaws.eu-west-1.${service}`).sort(),
    );
    for (const endpoint of endpoints) {
      expect(endpoint).toMatchObject({ vpc_endpoint_type: 'Interface', private_dns_enabled: true });
    }
  });

  test('endpoint security group allows only HTTPS from the VPC', () => {
    const group = Object.values(resourcesOf(stack, 'aws_security_group'))[0]!;
    expect(group['ingress']).toEqual([
      expect.objectContaining({ protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: [fleet.network.vpcCidr] }),
    ]);
  });

  test('lets API Gateway write access logs (region-wide account setting)', () => {
    expect(onlyResource(stack, 'aws_api_gateway_account')['cloudwatch_role_arn']).toContain('aws_iam_role.');
  });

  test('snapshot (review aid)', () => {
    expect(readable(stack)).toMatchSnapshot();
  });
});
