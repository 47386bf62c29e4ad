/**
 * CLI entry: `flota <command> [options]`. Each command lives in cli/commands/<name>.ts and exports
 * `run(args: string[]): Promise<number>` (the exit code). Commands are loaded lazily so `flota validate` never pays for
 * loading cdktf or the AWS SDK.
 */
type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  validate: { summary: 'validate the manifest (tenants/) and print every error', load: () => import('./commands/validate') },
  quotas: { summary: 'usage vs account quota per cell; --aws reads the applied values from Service Quotas', load: () => import('./commands/quotas') },
  tenant: { summary: 'add a tenant file (validated, with next steps) or show a tenant\'s resolved settings', load: () => import('./commands/tenant') },
  synth: { summary: 'validate, then synthesize every stack into cdktf.out/', load: () => import('./commands/synth') },
  changed: { summary: 'stacks affected by the commits in --base...--head, as JSON for CI', load: () => import('./commands/changed') },
  smoke: { summary: 'publish a record per tenant and read it back through the API (AWS or --local)', load: () => import('./commands/smoke') },
  dlq: { summary: "peek at a tenant's dead-letter queue (count + sample, never consumes)", load: () => import('./commands/dlq') },
  redrive: { summary: "move a tenant's dead-letter messages back to its queue (asks first)", load: () => import('./commands/redrive') },
  slo: { summary: 'slo simulate: replay the SLO alert rules on synthetic traffic; detection times vs the SRE Workbook', load: () => import('./commands/slo') },
  cost: { summary: 'estimated monthly CloudWatch cost of SLO alerting and dashboard metrics (shipped + 500-tenant fleet)', load: () => import('./commands/cost') },
};

/** Every command name, so tests can hold each one to the same rules (help, bad flags, no stack traces). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: flota <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'flota <command> --help' for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`flota: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(args);
}
