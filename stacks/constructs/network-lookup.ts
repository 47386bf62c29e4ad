import { Construct } from 'constructs';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';

export interface NetworkLookupProps {
  /** The tag the platform stack puts on its VPC and private subnets. */
  readonly lookupTag: { readonly key: string; readonly value: string };
}

/**
 * Finds the platform VPC and its private subnets by tag, at plan time. Deliberately NOT a cross-stack reference
 * (terraform_remote_state): a tenant stack plans on its own, and one tenant's plan never depends on another stack's state.
 */
export class NetworkLookup extends Construct {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  readonly privateSubnetIds: string[];

  constructor(scope: Construct, id: string, props: NetworkLookupProps) {
    super(scope, id);
    const { key, value } = props.lookupTag;
    const vpc = new DataAwsVpc(this, 'vpc', { tags: { [key]: value } });
    const subnets = new DataAwsSubnets(this, 'private-subnets', {
      filter: [{ name: 'vpc-id', values: [vpc.id] }],
      tags: { [key]: value, 'flota:subnet-tier': 'private' },
    });
    this.vpcId = vpc.id;
    this.vpcCidrBlock = vpc.cidrBlock;
    this.privateSubnetIds = subnets.ids;
  }
}
