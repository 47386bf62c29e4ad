/**
 * `flota validate --aws`: which of the manifest's contact secrets exist in Secrets Manager. DescribeSecret only — the
 * check never reads a secret's value (the caller needs secretsmanager:DescribeSecret, not GetSecretValue). A secret
 * scheduled for deletion counts as missing: the observability plan could not read it either.
 */
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface SecretCheck {
  /** Secrets that do not exist (or are scheduled for deletion). */
  readonly missing: ReadonlySet<string>;
  /** Secrets that could not be checked (permissions, network): validation cannot vouch for them. */
  readonly unchecked: readonly { readonly secret: string; readonly reason: string }[];
}

export async function checkSecretsExist(
  secrets: readonly string[],
  client: Pick<SecretsManagerClient, 'send'>,
): Promise<SecretCheck> {
  const missing = new Set<string>();
  const unchecked: { secret: string; reason: string }[] = [];
  await Promise.all(
    secrets.map(async (secret) => {
      try {
        const described = await client.send(new DescribeSecretCommand({ SecretId: secret }));
        if (described.DeletedDate !== undefined) missing.add(secret);
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === 'ResourceNotFoundException') missing.add(secret);
        else unchecked.push({ secret, reason: `${String(name ?? 'Error')}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }),
  );
  unchecked.sort((a, b) => (a.secret < b.secret ? -1 : 1));
  return { missing, unchecked };
}

