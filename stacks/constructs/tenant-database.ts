import { Construct } from 'constructs';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { DatabaseModel } from '../../fleet/model/types';

export interface TenantDatabaseProps {
  readonly database: DatabaseModel;
  readonly names: {
    readonly dbInstance: string;
    readonly dbParameterGroup: string;
    readonly dbFinalSnapshot: string;
    readonly databaseSecurityGroup: string;
  };
  readonly vpcId: string;
  /** The ONLY security group allowed to connect (the tenant's Lambda security group). */
  readonly clientSecurityGroupId: string;
  /** Tenant KMS key: storage and the RDS-managed master password secret. */
  readonly keyArn: string;
  /**
   * RDS certificate authority. Lambdas verify it via NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem.
   * @default 'rds-ca-rsa2048-g1'
   */
  readonly caCertIdentifier?: string;
}

/**
 * The tenant's RDS PostgreSQL instance: private (no public address, reachable on its port only from the tenant's
 * Lambda security group), storage and master secret encrypted with the tenant key, TLS forced, backups, deletion
 * protection and a final snapshot, so removing a tenant from the manifest can never silently destroy its data.
 */
export class TenantDatabase extends Construct {
  readonly instance: DbInstance;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: TenantDatabaseProps) {
    super(scope, id);
    const { database, names } = props;
    if (!database.parameterGroupFamily.startsWith('postgres')) {
      throw new Error(
        `database.parameterGroupFamily '${database.parameterGroupFamily}' is not a PostgreSQL family; use e.g. 'postgres17'`,
      );
    }

    // No egress rules: Terraform removes the default allow-all egress, and the database initiates no connections.
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: names.databaseSecurityGroup,
      description: `PostgreSQL ${names.dbInstance}: ingress only from the tenant's functions`,
      vpcId: props.vpcId,
    });
    new VpcSecurityGroupIngressRule(this, 'ingress-from-functions', {
      securityGroupId: this.securityGroup.id,
      description: "PostgreSQL from the tenant's Lambda security group only",
      ipProtocol: 'tcp',
      fromPort: database.port,
      toPort: database.port,
      referencedSecurityGroupId: props.clientSecurityGroupId,
    });

    // The cell's shared subnet group and, unless this tenant's parameters differ from its tier's, the shared (family,
    // tier) parameter group: both live in the platform stack (SharedDatabaseGroups), named by the model.
    const parameterGroup = database.parameterGroup.shared
      ? undefined
      : new DbParameterGroup(this, 'parameter-group', {
      name: names.dbParameterGroup,
      family: database.parameterGroupFamily,
      description: `${names.dbInstance}: TLS only, explicit max_connections (connection budget)`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        // Static parameter: applies at the next reboot; the connection budget in the model is computed from it.
        { name: 'max_connections', value: String(database.maxConnections), applyMethod: 'pending-reboot' },
      ],
      lifecycle: { createBeforeDestroy: true },
      });

    this.instance = new DbInstance(this, 'instance', {
      identifier: names.dbInstance,
      engine: 'postgres',
      engineVersion: database.engineVersion,
      instanceClass: database.instanceClass,
      port: database.port,
      dbName: database.databaseName,
      username: database.masterUsername,
      manageMasterUserPassword: true,
      // The API and ingest functions log in as their own roles with IAM auth tokens; only migrate reads the master secret.
      iamDatabaseAuthenticationEnabled: true,
      masterUserSecretKmsKeyId: props.keyArn,
      storageType: 'gp3',
      allocatedStorage: database.allocatedStorageGb,
      maxAllocatedStorage: database.maxAllocatedStorageGb,
      storageEncrypted: true,
      kmsKeyId: props.keyArn,
      multiAz: database.multiAz,
      dbSubnetGroupName: database.subnetGroupName,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameterGroup?.name ?? database.parameterGroup.name,
      publiclyAccessible: false,
      caCertIdentifier: props.caCertIdentifier ?? 'rds-ca-rsa2048-g1',
      backupRetentionPeriod: database.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: names.dbFinalSnapshot,
      autoMinorVersionUpgrade: true,
      // Engine/class changes wait for the maintenance window instead of restarting a tenant's database mid-day.
      applyImmediately: false,
    });
  }

  /**
   * ARN of an IAM policy resource for `rds-db:connect` as `dbUser` on this instance:
   * `arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<dbUser>`.
   */
  dbUserArn(aws: { arn(service: string, resource: string): string }, dbUser: string): string {
    return aws.arn('rds-db', `dbuser:${this.instance.resourceId}/${dbUser}`);
  }

  /** ARN of the RDS-managed secret holding the master user's credentials. */
  get masterSecretArn(): string {
    return this.instance.masterUserSecret.get(0).secretArn;
  }
}
