/** Small helpers shared by bench-ingest.ts and bench-api.ts. */

/** Value of `--name VALUE` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

/** Progress line on stderr (stdout carries the report / JSON). */
export const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
