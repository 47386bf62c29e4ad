import { Construct } from 'constructs';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Fn } from 'cdktf';
import type { NetworkModel } from '../../fleet/model/types';

export interface PrivateNetworkProps {
  readonly network: NetworkModel;
  readonly region: string;
  /** Prefix for Name tags, e.g. "flota". */
  readonly namePrefix: string;
}

/**
 * The fleet's VPC: private subnets only (one per AZ, ≥ 2 AZs), no internet gateway and no NAT. Functions reach AWS APIs
 * through interface VPC endpoints with private DNS, so SDK clients need no endpoint configuration. Endpoints cost
 * per AZ-hour but replace a NAT gateway per AZ (more expensive, plus per-GB processing) and keep traffic off the internet.
 *
 * The VPC and subnets carry `network.lookupTag`: tenant stacks find them with data sources, never through cross-stack state.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnets: Subnet[];
  readonly endpointSecurityGroup: SecurityGroup;
  readonly endpoints: Record<string, VpcEndpoint>;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const { network, region, namePrefix } = props;
    if (network.availabilityZoneCount < 2 || network.privateSubnetCidrs.length !== network.availabilityZoneCount) {
      throw new Error(
        `network needs ≥ 2 availability zones with one private subnet CIDR each (got ${network.availabilityZoneCount} AZs, ` +
          `${network.privateSubnetCidrs.length} CIDRs); fix network.availabilityZoneCount / privateSubnetCidrs in the model`,
      );
    }
    const lookup = { [network.lookupTag.key]: network.lookupTag.value };

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: network.vpcCidr,
      enableDnsSupport: true,
      // Required for private DNS on interface endpoints.
      enableDnsHostnames: true,
      tags: { Name: `${namePrefix}-vpc`, ...lookup },
    });

    const zones = new DataAwsAvailabilityZones(this, 'zones', { state: 'available' });
    this.privateSubnets = network.privateSubnetCidrs.map(
      (cidr, index) =>
        // The AZ index is stable: the model fixes the subnet CIDR per position, so reordering never happens silently.
        new Subnet(this, `private-subnet-${index + 1}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: Fn.element(zones.names, index),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${namePrefix}-private-${index + 1}`, 'flota:subnet-tier': 'private', ...lookup },
        }),
    );

    this.endpointSecurityGroup = new SecurityGroup(this, 'endpoint-security-group', {
      name: `${namePrefix}-vpc-endpoints`,
      description: 'HTTPS from inside the VPC to the AWS service endpoints',
      vpcId: this.vpc.id,
      ingress: [
        { description: 'HTTPS from the VPC', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [network.vpcCidr] },
      ],
      tags: { Name: `${namePrefix}-vpc-endpoints` },
    });

    this.endpoints = Object.fromEntries(
      [...network.interfaceEndpoints].sort().map((service) => [
        service,
        new VpcEndpoint(this, `endpoint-${service}`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((subnet) => subnet.id),
          securityGroupIds: [this.endpointSecurityGroup.id],
          tags: { Name: `${namePrefix}-${service}` },
        }),
      ]),
    );
  }
}
