import type { FleetModel } from '../fleet/model/types';

/**
 * SEARCH terms that select every tenant's ingest queue, or every tenant's dead-letter queue, WITHOUT listing tenants:
 * derived from the model's naming (prefix token + the tokens that tell a DLQ from its queue), so new tenants match
 * with no edit. CloudWatch search tokenizes names on non-alphanumerics: "flota-acme-ingest-dlq" → flota, acme, ingest, dlq.
 */
export function queueSearchTerms(fleet: FleetModel): { ingest: string; deadLetter: string } {
  const tokens = (name: string): string[] => name.split(/[^A-Za-z0-9]+/).filter((t) => t !== '');
  const sample = fleet.tenants[0];
  if (sample === undefined) return { ingest: `QueueName="${fleet.prefix}"`, deadLetter: `QueueName="${fleet.prefix}"` };
  const idTokens = new Set(tokens(sample.id));
  const queueTokens = tokens(sample.names.queue).filter((t) => !idTokens.has(t));
  const dlqOnly = tokens(sample.names.deadLetterQueue).filter((t) => !tokens(sample.names.queue).includes(t));
  if (dlqOnly.length === 0) {
    throw new Error(`dashboards: cannot tell DLQ '${sample.names.deadLetterQueue}' from queue '${sample.names.queue}' by a name token`);
  }
  const all = (ts: string[]): string => ts.map((t) => `QueueName=${t}`).join(' ');
  return {
    ingest: `${all(queueTokens)} NOT ${dlqOnly.map((t) => `QueueName=${t}`).join(' NOT ')}`,
    deadLetter: all([...queueTokens, ...dlqOnly]),
  };
}
