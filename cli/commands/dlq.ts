/** `flota dlq <tenant>`: how many messages sit in a tenant's dead-letter queue, and a sample of them. Never consumes. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadFleet } from '../../stacks/model';
import type { FleetModel, TenantModel } from '../../stacks/model/types';
import { parseCommandArgs, positiveNumber, UsageError } from '../lib/args';
import { formatTable, printJson, processIo, runCommand, type Io } from '../lib/output';
import { peekMessages, tenantQueues, type PeekedMessage } from '../lib/queues';

export const HELP = `usage: flota dlq <tenant> [--max <n>] [--json] [--manifest <dir>]

Shows the approximate number of messages in the tenant's dead-letter queue and up to --max of them (default 10).
Messages are peeked, never deleted: each is received with a ${'20'} s visibility timeout and made visible again at once.
Peeking increments each message's receive count. Move them back with 'flota redrive <tenant>'.
`;

export interface QueueDependencies {
  readonly sqs: () => SQSClient;
  readonly loadFleet: (dir: string) => FleetModel;
}

export const defaultQueueDependencies: QueueDependencies = {
  sqs: () => new SQSClient({}),
  loadFleet: (dir) => loadFleet(dir),
};

export function findTenant(fleet: FleetModel, id: string | undefined, manifest: string): TenantModel {
  if (id === undefined) throw new UsageError('name one tenant');
  const tenant = fleet.tenants.find((t) => t.id === id);
  if (!tenant) throw new UsageError(`unknown tenant '${id}' (not in ${manifest}/)`);
  return tenant;
}

export function formatMessages(messages: readonly PeekedMessage[]): string {
  return formatTable(
    ['MESSAGE ID', 'SENT', 'RECEIVES', 'RECORD', 'BODY'],
    messages.map((m) => [m.messageId, m.sentAt ?? '', m.receiveCount, m.recordId === undefined ? '' : `${m.recordId} (${m.recordType ?? '?'})`, m.body.replace(/\s+/g, ' ').slice(0, 80)]),
  );
}

export async function run(args: string[], io: Io = processIo, deps: QueueDependencies = defaultQueueDependencies): Promise<number> {
  return runCommand(io, HELP, async () => {
    const { values, positionals } = parseCommandArgs(args, {
      max: { type: 'string' },
      json: { type: 'boolean' },
      manifest: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError('name exactly one tenant');
    const max = positiveNumber('max', values.max, 10, { integer: true });
    const manifest = values.manifest ?? 'tenants';
    const tenant = findTenant(deps.loadFleet(manifest), positionals[0], manifest);
    const sqs = deps.sqs();
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
