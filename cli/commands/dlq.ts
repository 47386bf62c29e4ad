/** `flota dlq <tenant>`: how many messages sit in a tenant's dead-letter queue, and a sample of them. Never consumes. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadFleet } from '../../fleet';
import type { FleetModel, TenantModel } from '../../fleet/model/types';
import { parseCommandArgs, positiveNumber, TENANTS_OPTIONS, tenantsDirectory, UsageError, type ParsedArgs } from '../lib/args';
import { formatTable, printJson, processIo, runCommand, type Io } from '../lib/output';
import { PEEK_VISIBILITY_SECONDS, peekMessages, tenantQueues, type PeekedMessage } from '../lib/queues';

export const HELP = `usage: flota dlq <tenant> [--max <n>] [--json] [--tenants <dir>]

Shows the approximate number of messages in the tenant's dead-letter queue and up to --max of them (default 10).
Messages are peeked, never deleted: each is received with a ${PEEK_VISIBILITY_SECONDS} s visibility timeout and made visible again at once.
Peeking increments each message's receive count. Move them back with 'flota redrive <tenant>'.

options:
  --max <n>        messages to show (default 10)
  --json           print the count and messages as JSON
  --tenants <dir>  manifest directory (default tenants; --manifest is a deprecated alias)
`;

export interface QueueDependencies {
  /** An SQS client in `region` (the fleet's region from the manifest, unless AWS_REGION says otherwise). */
  readonly sqs: (region: string) => SQSClient;
  readonly loadFleet: (dir: string) => FleetModel;
}

export const defaultQueueDependencies: QueueDependencies = {
  sqs: (region) => new SQSClient({ region: process.env.AWS_REGION ?? region }),
  loadFleet: (dir) => loadFleet(dir),
};

function findTenant(fleet: FleetModel, id: string | undefined, manifest: string): TenantModel {
  if (id === undefined) throw new UsageError('name one tenant');
  const tenant = fleet.tenants.find((t) => t.id === id);
  if (!tenant) throw new UsageError(`unknown tenant '${id}' (not in ${manifest}/)`);
  return tenant;
}

const TENANT_COMMAND_OPTIONS = {
  json: { type: 'boolean' },
  ...TENANTS_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = Parameters<typeof parseCommandArgs>[1];

/**
 * The argument handling `flota dlq` and `flota redrive` share: `options` plus --json/--tenants/--help and at most one
 * tenant. Returns undefined once --help is printed. `loadTenant` is separate so each command checks its own options
 * before the manifest is read.
 */
export function parseTenantCommand<O extends Options>(
  args: readonly string[],
  options: O,
  io: Io,
  help: string,
): { values: ParsedArgs<O & typeof TENANT_COMMAND_OPTIONS>['values']; loadTenant: (deps: QueueDependencies) => { fleet: FleetModel; tenant: TenantModel } } | undefined {
  const { values, positionals } = parseCommandArgs(args, { ...options, ...TENANT_COMMAND_OPTIONS });
  const shared = values as ParsedArgs<typeof TENANT_COMMAND_OPTIONS>['values']; // O's conditional types stay unresolved in here
  if (shared.help) {
    io.stdout(help);
    return undefined;
  }
  if (positionals.length > 1) throw new UsageError('name exactly one tenant');
  const manifest = tenantsDirectory(shared, io.stderr);
  return {
    values,
    loadTenant: (deps) => {
      const fleet = deps.loadFleet(manifest);
      return { fleet, tenant: findTenant(fleet, positionals[0], manifest) };
    },
  };
}

export function formatMessages(messages: readonly PeekedMessage[]): string {
  return formatTable(
    ['MESSAGE ID', 'SENT', 'RECEIVES', 'RECORD', 'BODY'],
    messages.map((m) => [m.messageId, m.sentAt ?? '', m.receiveCount, m.recordId === undefined ? '' : `${m.recordId} (${m.recordType ?? '?'})`, m.body.replace(/\s+/g, ' ').slice(0, 80)]),
  );
}

export async function run(args: string[], io: Io = processIo, deps: QueueDependencies = defaultQueueDependencies): Promise<number> {
  return runCommand(io, HELP, async () => {
    const parsed = parseTenantCommand(args, { max: { type: 'string' } }, io, HELP);
    if (!parsed) return 0;
    const { values } = parsed;
    const max = positiveNumber('max', values.max, 10, { integer: true });
    const { fleet, tenant } = parsed.loadTenant(deps);
    const sqs = deps.sqs(fleet.region);
    const { deadLetterQueue } = await tenantQueues(sqs, tenant);
    const messages = deadLetterQueue.messages + deadLetterQueue.inFlight > 0 ? await peekMessages(sqs, deadLetterQueue.url, max) : [];
    if (values.json) {
      printJson(io, { tenant: tenant.id, queue: deadLetterQueue.name, approximateMessages: deadLetterQueue.messages, approximateInFlight: deadLetterQueue.inFlight, sample: messages });
    } else {
      io.stdout(`${deadLetterQueue.name}: ~${deadLetterQueue.messages} message(s)${deadLetterQueue.inFlight > 0 ? `, ~${deadLetterQueue.inFlight} in flight` : ''}\n`);
      if (messages.length > 0) io.stdout(formatMessages(messages));
    }
    return 0;
  });
}
