/**
 * Output helpers: commands write machine-readable JSON with `--json` and a concise table otherwise. Progress goes to
 * stderr so stdout stays parseable.
 */
import { UsageError } from './args';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** A fixed-width table; every cell is stringified, columns are as wide as their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) => row.map((cell, column) => (cell ?? '').padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

/**
 * Runs a command body, turning a UsageError into exit code 2 with the help text and any other error into exit code 1
 * with its message (no stack trace: these are operator-facing commands).
 */
export async function runCommand(io: Io, help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${help}`);
      return 2;
    }
    io.stderr(`error: ${describeError(error)}\n`);
    return 1;
  }
}

/**
 * One sentence for an error that reached a command. The AWS SDK's usual failures (no credentials, no region, expired or
 * denied credentials) get their fix; any other error its message, never its stack.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { name, message } = error;
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return 'no AWS credentials found: sign in (aws sso login, or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY); in CI, the configure-aws-credentials step provides them';
  }
  if (/region is missing/i.test(message)) return 'no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION) to the fleet region';
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired)$/.test(name)) return `AWS credentials have expired (${name}): sign in again`;
  if ('$metadata' in error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const hint = /AccessDenied|UnauthorizedOperation|not authorized/i.test(`${name} ${message}`)
      ? '; the role needs the permissions listed in docs/delivery.md'
      : '';
    return `AWS ${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${message}${hint}`;
  }
  return message;
}
