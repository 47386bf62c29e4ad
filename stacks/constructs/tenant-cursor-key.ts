import { Construct } from 'constructs';
import { DataAwsSecretsmanagerRandomPassword } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';

export interface TenantCursorKeyProps {
  /** Secrets Manager name (`<prefix>/<tenant>/cursor-key`). */
  readonly secretName: string;
  /** Tenant KMS key. */
  readonly keyArn: string;
}

/** Length of the generated key material (Secrets Manager GetRandomPassword; ~380 bits with punctuation excluded). */
const CURSOR_KEY_LENGTH = 64;

/**
 * The dedicated secret the API signs pagination cursors with: independent of every database credential (rotating the
 * RDS master password no longer breaks cursors), KMS-encrypted with the tenant key, and rotation-safe — the API signs
 * with AWSCURRENT and still verifies AWSPREVIOUS (functions/api/cursor-keys.ts).
 *
 * The first value comes from Secrets Manager's GetRandomPassword at apply time (in the encrypted state, never in the
 * synthesized JSON). Terraform then ignores the value: the data source returns a new random string on every plan, and
 * a rotation (`aws secretsmanager put-secret-value`, docs/delivery.md) must not look like drift or be undone.
 */
export class TenantCursorKey extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: TenantCursorKeyProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: 'HMAC key of the API pagination cursors (AWSCURRENT signs, AWSPREVIOUS still verifies)',
      kmsKeyId: props.keyArn,
    });
    const random = new DataAwsSecretsmanagerRandomPassword(this, 'initial-value', {
      passwordLength: CURSOR_KEY_LENGTH,
      excludePunctuation: true,
    });
    new SecretsmanagerSecretVersion(this, 'initial-version', {
      secretId: this.secret.id,
      secretString: random.randomPassword,
      lifecycle: { ignoreChanges: ['secret_string'] },
    });
  }

  get arn(): string {
    return this.secret.arn;
  }
}
