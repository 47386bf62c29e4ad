/**
 * Captures what the Powertools Logger and Metrics write (JSON lines through a Console bound to process.stdout/stderr:
 * Metrics and info logs go to stdout, warn/error logs to stderr), so tests can assert on structured logs and on the
 * Embedded Metric Format blobs.
 */
export interface CapturedOutput {
  /** Every JSON line written since the capture started. */
  json(): Record<string, unknown>[];
  /** EMF blobs only (lines with an `_aws` key). */
  emf(): EmfBlob[];
  /** Log lines only (lines with a `message` key). */
  logs(): Record<string, unknown>[];
  restore(): void;
}

export interface EmfBlob {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(record), jest.spyOn(process.stderr, 'write').mockImplementation(record)];
  const json = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    json,
    emf: () => json().filter((line) => '_aws' in line) as EmfBlob[],
    logs: () => json().filter((line) => 'message' in line && !('_aws' in line)),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
