/**
 * Alert contacts and the secrets they name. Manifests only ever name secrets (Secrets Manager names); anything that looks
 * like a secret's value is refused with rule `secret-literal`.
 */
import { z } from 'zod';
import { CUSTOM_CODE } from './fields';

export const SECRET_LITERAL_PATTERNS: readonly { readonly pattern: RegExp; readonly looksLike: string }[] = [
  { pattern: /hooks\.slack\.com/i, looksLike: 'a Slack webhook URL' },
  { pattern: /^https?:\/\//i, looksLike: 'a URL' },
  { pattern: /^xox[abpors]-/i, looksLike: 'a Slack token' },
  { pattern: /^[0-9a-f]{32}$/i, looksLike: 'a 32-hex-digit PagerDuty integration key' },
  { pattern: /^-----BEGIN /, looksLike: 'a PEM key' },
];

/** Secrets Manager secret names: 1..512 of [A-Za-z0-9/_+=.@-] (or a full secret ARN). */
export const SECRET_NAME_PATTERN = /^(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/;

/** A Secrets Manager secret NAME. Anything that looks like the secret's value is rejected with code `secret-literal`. */
export function secretName(what: string, example: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const literal = SECRET_LITERAL_PATTERNS.find((p) => p.pattern.test(value));
      if (literal !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `looks like ${literal.looksLike}, i.e. the secret itself`,
          params: {
            flota: CUSTOM_CODE.secretLiteral,
            redact: true,
            fix: `name the Secrets Manager secret that holds ${what}, never its value, e.g. "${example}"; rotate the leaked value`,
          },
        });
        return;
      }
      if (!SECRET_NAME_PATTERN.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: 'is not a valid Secrets Manager secret name',
          params: {
            flota: CUSTOM_CODE.invalidFormat,
            fix: `use 1..512 characters of A-Z a-z 0-9 / _ + = . @ -, e.g. "${example}"`,
          },
        });
      }
    })
    .describe(`Name (or ARN) of the AWS Secrets Manager secret that holds ${what}. Never the value itself.`);
}

export const emailAddress = z.email({ message: 'is not an email address' });

export const emailContact = z.strictObject({
  addresses: z.array(emailAddress).min(1).max(20).describe('Recipients (1..20). Delivered through an SNS email subscription.'),
});
export const slackContact = z.strictObject({
  webhookUrlSecret: secretName('the Slack incoming-webhook URL', 'flota/<team>/slack-webhook'),
  channel: z
    .string()
    .regex(/^#?[a-z0-9._-]{1,80}$/, { message: 'is not a Slack channel name' })
    .optional()
    .describe("Channel shown in the contact point (informational; the webhook decides). Default: the webhook's own channel."),
});
export const pagerdutyContact = z.strictObject({
  integrationKeySecret: secretName('the PagerDuty Events v2 integration key', 'flota/<team>/pagerduty-integration-key'),
});
export const snsContact = z.strictObject({
  topicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, { message: 'is not an SNS topic ARN' })
    .describe('ARN of an existing SNS topic, e.g. arn:aws:sns:eu-west-1:123456789012:oncall.'),
});

export const CONTACT_KINDS = ['email', 'slack', 'pagerduty', 'sns'] as const;

/** Exactly one of email | slack | pagerduty | sns. */
export const ContactSchema = z
  .strictObject({
    email: emailContact.optional().describe('Email the team.'),
    slack: slackContact.optional().describe('Post to Slack through an incoming webhook whose URL is stored in Secrets Manager.'),
    pagerduty: pagerdutyContact.optional().describe('Open PagerDuty incidents with an integration key stored in Secrets Manager.'),
    sns: snsContact.optional().describe('Publish to an existing SNS topic you own.'),
  })
  .superRefine((contact, ctx) => {
    const kinds = CONTACT_KINDS.filter((k) => contact[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: kinds.length === 0 ? 'names no contact' : `names ${kinds.length} contacts (${kinds.join(', ')})`,
        params: {
          flota: CUSTOM_CODE.oneContact,
          fix: `give exactly one of ${CONTACT_KINDS.join(' | ')}; route the other severity under the sibling key`,
        },
      });
    }
  })
  .meta(contactMeta('One alert destination: exactly one of `email`, `slack`, `pagerduty`, `sns`.'));
export type ContactManifest = z.infer<typeof ContactSchema>;

/** JSON Schema keywords that tell editors a contact has exactly one key (zod expresses it as a refinement). */
export function contactMeta(description: string) {
  return { description, minProperties: 1, maxProperties: 1 };
}
/** The contact schema with a use-specific description (keeps the one-key JSON Schema hint). */
export const contact = (description: string) => ContactSchema.meta(contactMeta(description));

