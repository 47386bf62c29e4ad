/**
 * `npm run bench:synth [-- --sizes 50,200,500 --runs 3 --cell-fleet 1000x3]`: synth wall time and peak RSS of flota's synth
 * path on generated fleets, next to the NAIVE recipe in the same invocation — the `cdktf init` default: ts-node
 * (type-checking) running the same app with the barrel import of @cdktf/provider-aws. Prints a table with medians and
 * ratios and writes bench/RESULTS-synth.md. Then synthesizes the multi-account example — 1,000 tenants over 3 cells
 * (fleet/testing/generated-manifest.ts), validated within every cell's quotas — with ours only (the naive recipe would
 * take minutes), and writes bench/RESULTS-synth-cells.md. `--sizes none` runs only the cell fleet, `--no-cell-fleet`
 * skips it. A benchmark, not a test: nothing here asserts; run it on a quiet machine (see `uptime`).
 *
 * - ours:  `node bin/flota.js synth --tenants <dir> --out <tmp>` (esbuild-bundled JS, deep provider imports, no source maps)
 * - naive: `ts-node <scratch>/naive-main.ts <dir> <tmp>`, where <scratch> is a copy of stacks/ + functions/ whose
 *          `@cdktf/provider-aws/lib/<x>` imports are rewritten to the barrel `@cdktf/provider-aws`, and whose synth
 *          formats token stack traces as cdktf does by default (ours skips that formatting).
 * Both validate the manifest, bundle the three functions and synthesize every stack; only the runner and the imports differ.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeGeneratedManifest } from '../fleet/testing/generated-manifest';

const root = path.resolve(__dirname, '..');

interface Options {
  sizes: number[];
  runs: number;
  naive: boolean;
  write: boolean;
  /** The multi-cell example fleet, or null to skip it. */
  cellFleet: { tenants: number; cells: number } | null;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { sizes: [50, 200, 500], runs: 3, naive: true, write: true, cellFleet: { tenants: 1000, cells: 3 } };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sizes') {
      const value = argv[++i] ?? '';
      options.sizes = value === 'none' ? [] : value.split(',').map(Number);
    } else if (arg === '--cell-fleet') {
      const match = /^(\d+)x(\d+)$/.exec(argv[++i] ?? '');
      if (match === null) throw new Error('--cell-fleet needs TENANTSxCELLS, e.g. 1000x3');
      options.cellFleet = { tenants: Number(match[1]), cells: Number(match[2]) };
    } else if (arg === '--no-cell-fleet') options.cellFleet = null;
    else if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--no-naive') options.naive = false;
    else if (arg === '--no-write') options.write = false;
    else throw new Error(`unknown option ${arg} (use --sizes 50,200,500|none --runs 3 --no-naive --no-write --cell-fleet 1000x3 --no-cell-fleet)`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1) || !(options.runs >= 1)) {
    throw new Error('--sizes must be positive integers and --runs ≥ 1');
  }
  return options;
}

/** A fleet of `size` tenants cloned from the shipped ones (ids suffixed -r1, -r2, … beyond the first round), one account. */
function generateFleet(size: number, dir: string): void {
  writeGeneratedManifest(dir, { tenants: size, cells: 0 });
}

const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Copy of the app whose deep provider imports are rewritten to the barrel (what `cdktf init` code looks like). */
function buildNaiveApp(scratch: string): string {
  fs.rmSync(scratch, { recursive: true, force: true });
  // Everything the synth path imports (the observability stack builds dashboards/ at synth time).
  for (const dir of ['stacks', 'fleet', 'contract', 'functions', 'dashboards']) {
    fs.cpSync(path.join(root, dir), path.join(scratch, dir), {
      recursive: true,
      filter: (src) => !src.endsWith('.test.ts') && !src.includes('__snapshots__'),
    });
  }
  let rewritten = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        const next = text.replace(
          /import \{([^}]+)\} from '@cdktf\/provider-aws\/lib\/([a-z0-9-]+)';/g,
          (_, names: string, module: string) => {
            rewritten++;
            const namespace = camel(module);
            const aliases = names
              .split(',')
              .map((n) => n.trim().replace(/^type\s+/, ''))
              .filter(Boolean)
              .map((n) => {
                const [name, alias = name] = n.split(/\s+as\s+/);
                return `import ${alias} = ${namespace}.${name};`;
              });
            return `import { ${namespace} } from '@cdktf/provider-aws';\n${aliases.join('\n')}`;
          },
        );
        if (next !== text) fs.writeFileSync(full, next);
      }
    }
  };
  walk(path.join(scratch, 'stacks'));
  if (rewritten === 0) throw new Error('naive variant: found no @cdktf/provider-aws/lib imports to rewrite');
  // The naive app formats every token's stack trace like any cdktf app does (ours skips that; see stacks/main.ts).
  const mainFile = path.join(scratch, 'stacks', 'main.ts');
  const mainText = fs.readFileSync(mainFile, 'utf8');
  const plain = mainText.replace(/(function withoutStackTraceFormatting<T>\(body: \(\) => T\): T \{)/, '$1\n  return body();');
  if (plain === mainText) throw new Error('naive variant: stacks/main.ts has no withoutStackTraceFormatting to disable');
  fs.writeFileSync(mainFile, plain);
  const entry = path.join(scratch, 'naive-main.ts');
  fs.writeFileSync(
    entry,
    // ts-node compiles only what the entry imports (no tsconfig `include`), so name the SDK's ambient module declarations.
    `/// <reference path="./dashboards/grafana-sdk-modules.d.ts" />\n` +
    `import { synthesize } from './stacks/main';\n` +
      `synthesize({ rootDir: ${JSON.stringify(root)}, tenantsDir: process.argv[2]!, outDir: process.argv[3]! }).catch((error) => {\n` +
      `  console.error(error);\n  process.exit(1);\n});\n`,
  );
  return entry;
}

interface Sample {
  seconds: number;
  /** user + system CPU seconds (less sensitive to other load on a shared machine than wall time). */
  cpuSeconds: number;
  peakMb: number;
}

/** Runs a command under GNU time (-v): wall clock and maximum RSS of the largest process. */
function measure(command: string, args: string[]): Sample {
  const timeFile = path.join(os.tmpdir(), `flota-bench-time-${process.pid}.txt`);
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-v', '-o', timeFile, command, ...args], {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  }
  const report = fs.readFileSync(timeFile, 'utf8');
  fs.rmSync(timeFile, { force: true });
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1]);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(report)?.[1]);
  const system = Number(/System time \(seconds\): ([\d.]+)/.exec(report)?.[1]);
  return { seconds, cpuSeconds: user + system, peakMb: kb / 1024 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Row {
  tenants: number;
  ours: Sample;
  naive?: Sample;
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync('/usr/bin/time')) throw new Error('needs GNU time at /usr/bin/time (apt-get install time)');
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-bench-synth-'));
  // Inside the repository so the copy resolves node_modules; .build/ is git-ignored.
  const naiveEntry = options.naive ? buildNaiveApp(path.join(root, '.build', 'bench-naive')) : '';
  const tsNode = path.join(root, 'node_modules', 'ts-node', 'dist', 'bin.js');
  const rows: Row[] = [];
  let cellRun: CellFleetRun | undefined;
  try {
    for (const size of options.sizes) {
      const tenantsDir = path.join(work, `tenants-${size}`);
      generateFleet(size, tenantsDir);
      const ours: Sample[] = [];
      const naive: Sample[] = [];
      // Interleaved, so both variants see the same machine noise.
      for (let run = 1; run <= options.runs; run++) {
        const out = path.join(work, `out-${size}`);
        ours.push(measure('node', ['bin/flota.js', 'synth', '--quiet', '--tenants', tenantsDir, '--out', out]));
        process.stderr.write(`bench:synth ${size} tenants run ${run}: ours ${ours.at(-1)!.seconds.toFixed(2)} s`);
        if (options.naive) {
          naive.push(measure('node', [tsNode, naiveEntry, tenantsDir, out]));
          process.stderr.write(`, naive ${naive.at(-1)!.seconds.toFixed(2)} s`);
        }
        process.stderr.write('\n');
      }
      const summarize = (samples: Sample[]): Sample => ({
        seconds: median(samples.map((s) => s.seconds)),
        cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
        peakMb: median(samples.map((s) => s.peakMb)),
      });
      rows.push({ tenants: size, ours: summarize(ours), naive: options.naive ? summarize(naive) : undefined });
    }
    if (options.cellFleet !== null) cellRun = measureCellFleet(options.cellFleet, options.runs, work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const machine = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
  };
  if (cellRun !== undefined) {
    const cellDoc = cellFleetDoc(cellRun, machine, loadBefore);
    process.stdout.write(`\n${cellDoc}`);
    if (options.write) {
      fs.writeFileSync(path.join(root, 'bench', 'RESULTS-synth-cells.md'), cellDoc);
      process.stdout.write('\nwrote bench/RESULTS-synth-cells.md\n');
    }
  }
  if (rows.length === 0) return;
  const header =
    '| tenants | ours: wall | ours: CPU | ours: peak RSS | naive: wall | naive: CPU | naive: peak RSS | wall speed-up | CPU ratio | memory ratio | ours: marginal wall per 100 tenants |';
  const lines = [
    header,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row, index) => {
      const { ours, naive } = row;
      const previous = rows[index - 1];
      // Linear scaling shows as a constant marginal cost between sizes (the fixed start-up cost cancels out).
      const marginal = previous
        ? `${((ours.seconds - previous.ours.seconds) / ((row.tenants - previous.tenants) / 100)).toFixed(2)} s`
        : '–';
      const cells = [
        row.tenants,
        `${ours.seconds.toFixed(2)} s`,
        `${ours.cpuSeconds.toFixed(2)} s`,
        `${Math.round(ours.peakMb)} MB`,
        naive ? `${naive.seconds.toFixed(2)} s` : '–',
        naive ? `${naive.cpuSeconds.toFixed(2)} s` : '–',
        naive ? `${Math.round(naive.peakMb)} MB` : '–',
        naive ? `${(naive.seconds / ours.seconds).toFixed(1)}×` : '–',
        naive ? `${(naive.cpuSeconds / ours.cpuSeconds).toFixed(1)}×` : '–',
        naive ? `${(naive.peakMb / ours.peakMb).toFixed(1)}×` : '–',
        marginal,
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
  const table = lines.join('\n');
  const about =
    `${machine.date} · ${machine.nproc} × ${machine.cpu} · ${machine.memoryGb} GiB · Node ${machine.node} · ` +
    `commit ${machine.commit} · load average before ${loadBefore}, after ${machine.load} · medians of ${options.runs} runs`;
  process.stdout.write(`\n${about}\n\n${table}\n`);
  if (options.write) {
    const doc =
      `## Synth (\`npm run bench:synth\`)\n\n${about}\n\n${table}\n\n` +
      '- **ours**: `node bin/flota.js synth --tenants <dir> --out <tmp>` — esbuild-bundled JS, deep `@cdktf/provider-aws/lib/*` ' +
      'imports, no source maps, functions bundled once and shared by every tenant stack (TerraformAsset FILE copies).\n' +
      '- **naive**: the `cdktf init` default — ts-node (type-checking) running a copy of the same app whose provider imports are ' +
      'rewritten to the barrel `@cdktf/provider-aws` and which keeps cdktf\'s default token stack-trace formatting; same ' +
      'manifest, same bundling, same output.\n' +
      '- Wall time includes process start, manifest validation, function bundling and writing `cdktf.out`; peak RSS is the ' +
      "largest process's maximum resident set (GNU time); CPU is user + system time of the process tree, which other load on " +
      'a shared machine disturbs less than wall time. Fleets beyond 50 tenants are the shipped tenants cloned with new ids.\n';
    fs.writeFileSync(path.join(root, 'bench', 'RESULTS-synth.md'), doc);
    process.stdout.write('\nwrote bench/RESULTS-synth.md\n');
  }
}

interface CellFleetRun {
  readonly tenants: number;
  readonly cells: number;
  readonly runs: number;
  readonly validate: Sample;
  readonly synth: Sample;
  readonly stacks: number;
  readonly outMb: number;
}

/**
 * The multi-account example: `tenants` over `cells` cells, each declaring the quotas it needs. `flota validate` first (it
 * must pass: every cell within its quotas), then `flota synth` (ours only), `runs` times each.
 */
function measureCellFleet(fleet: { tenants: number; cells: number }, runs: number, work: string): CellFleetRun {
  const tenantsDir = path.join(work, `tenants-${fleet.tenants}x${fleet.cells}`);
  writeGeneratedManifest(tenantsDir, fleet);
  const out = path.join(work, `out-${fleet.tenants}x${fleet.cells}`);
  const validate: Sample[] = [];
  const synth: Sample[] = [];
  for (let run = 1; run <= runs; run++) {
    validate.push(measure('node', ['bin/flota.js', 'validate', '--tenants', tenantsDir]));
    synth.push(measure('node', ['bin/flota.js', 'synth', '--quiet', '--tenants', tenantsDir, '--out', out]));
    process.stderr.write(`bench:synth ${fleet.tenants} tenants × ${fleet.cells} cells run ${run}: validate ${validate.at(-1)!.seconds.toFixed(2)} s, synth ${synth.at(-1)!.seconds.toFixed(2)} s, ${Math.round(synth.at(-1)!.peakMb)} MB\n`);
  }
  const stacks = fs.readdirSync(path.join(out, 'stacks')).length;
  const outMb = Number(execFileSync('du', ['-sm', out], { encoding: 'utf8' }).split('\t')[0]);
  const summarize = (samples: Sample[]): Sample => ({
    seconds: median(samples.map((s) => s.seconds)),
    cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
    peakMb: median(samples.map((s) => s.peakMb)),
  });
  return { ...fleet, runs, validate: summarize(validate), synth: summarize(synth), stacks, outMb };
}

function cellFleetDoc(r: CellFleetRun, machine: { date: string; nproc: number; cpu: string; memoryGb: number; node: string; load: string; commit: string }, loadBefore: string): string {
  const about =
    `${machine.date} · ${machine.nproc} × ${machine.cpu} · ${machine.memoryGb} GiB · Node ${machine.node} · commit ${machine.commit} · ` +
    `load average before ${loadBefore}, after ${machine.load} · medians of ${r.runs} run${r.runs === 1 ? '' : 's'}`;
  const line = (what: string, s: Sample) => `| ${what} | ${s.seconds.toFixed(2)} s | ${s.cpuSeconds.toFixed(2)} s | ${Math.round(s.peakMb)} MB |`;
  return (
    `## Synth of the multi-account example (\`npm run bench:synth\`)\n\n${about}\n\n` +
    `${r.tenants} tenants over ${r.cells} cells (fleet/testing/generated-manifest.ts: the shipped tenants cloned round-robin, ` +
    `tenant i in cell i mod ${r.cells}, each cell declaring the quota increases its ~${Math.ceil(r.tenants / r.cells)} tenants need). ` +
    `\`flota validate\` passes (every cell within its quotas); \`flota synth\` writes ${r.stacks} stacks ` +
    `(${r.cells} platform, ${r.tenants} tenant, 1 observability), ${r.outMb} MB.\n\n` +
    '| step | wall | CPU | peak RSS |\n|---|---:|---:|---:|\n' +
    `${line(`flota validate (${r.tenants} files)`, r.validate)}\n${line('flota synth', r.synth)}\n`
  );
}

main();
