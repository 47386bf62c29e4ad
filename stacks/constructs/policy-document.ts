/**
 * IAM policy documents as typed data.
 *
 * Policies are rendered with JSON.stringify (not `Fn.jsonencode`), so the synthesized JSON holds a plain JSON policy
 * string whose only non-literal parts are `${aws_…}` references to resources of the SAME stack. That keeps policies
 * readable in review diffs and lets the fleet policy tests parse every statement and assert least privilege and
 * tenant isolation on the output itself.
 */

export type PolicyPrincipal = '*' | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };

export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

export interface PolicyStatement {
  /** Stable statement id; policy tests refer to documented exceptions by Sid. */
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PolicyPrincipal;
  readonly Action: string | readonly string[];
  /** Omitted only in trust policies (the role itself is the resource). */
  readonly Resource?: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Trust policy letting one AWS service assume a role. No aws:SourceAccount condition: Lambda does not document
 * passing it when assuming an execution role, and a condition the service never sends would break the function.
 */
export function assumeRolePolicy(service: string): string {
  return policyDocument([
    {
      Sid: 'AssumeByService',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
    },
  ]);
}

/**
 * Deny every request to a resource that does not arrive over TLS. `actionPrefix` is e.g. "sqs": denying the whole
 * service namespace is the AWS-documented pattern (a broader Deny is safer, not riskier).
 */
export function denyInsecureTransport(actionPrefix: string, resource: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: `${actionPrefix}:*`,
    Resource: resource,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
