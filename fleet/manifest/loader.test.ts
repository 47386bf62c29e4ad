import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { deployedBudgets, loadFleet, loadManifest } from '..';
import { formatError, ManifestValidationError, RULES, type ManifestError, type ManifestFileSystem } from '.';
import { didYouMean, editDistance } from './rules';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = 'fleet/manifest/fixtures';
const BAD = path.join(ROOT, FIXTURES, 'bad');

function errorsOf(dir: string, options: { fileSystem?: ManifestFileSystem } = {}): readonly ManifestError[] {
  const result = loadManifest(dir, { cwd: ROOT, ...options });
  if (result.ok) throw new Error(`expected ${dir} to be invalid`);
  return result.errors;
}

function only(dir: string): ManifestError {
  const errors = errorsOf(dir);
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe('good fixtures', () => {
  test.each(['tenants', `${FIXTURES}/good/minimal`, `${FIXTURES}/good/overrides`])('loads %s without errors', (dir) => {
    const result = loadManifest(dir, { cwd: ROOT });
    expect(result.ok ? [] : result.errors.map(formatError)).toEqual([]);
  });

  test('sorts tenants by id and reads .yml files too', () => {
    const result = loadManifest(`${FIXTURES}/good/overrides`, { cwd: ROOT });
    if (!result.ok) throw new Error('invalid');
    expect(result.manifest.tenants.map((t) => [t.tenant.id, t.file])).toEqual([
      ['billing', `${FIXTURES}/good/overrides/billing.yml`],
      ['orders', `${FIXTURES}/good/overrides/orders.yaml`],
    ]);
  });

  test('applies schema defaults (wave 1, state key prefix, lockfile, network)', () => {
    const result = loadManifest(`${FIXTURES}/good/minimal`, { cwd: ROOT });
    if (!result.ok) throw new Error('invalid');
    expect(result.manifest.tenants[0]!.tenant.wave).toBe(1);
    expect(result.manifest.fleet.state).toEqual({ bucket: 'flota-terraform-state-test', keyPrefix: 'flota', useLockfile: true, encrypt: true });
    expect(result.manifest.fleet.network.availabilityZoneCount).toBe(3);
    expect(result.manifest.fleet.slo.windowDays).toBe(30);
    expect(result.manifest.fleet.requiredTenantTags).toEqual(['cost-centre']);
  });
});

describe('bad fixtures (one directory per rule, golden messages in expected.txt)', () => {
  const rules = fs.readdirSync(BAD).sort();

  test('every rule has a bad fixture and every fixture names a rule', () => {
    expect(rules).toEqual(RULES.map((r) => r.code).sort());
  });

  test.each(rules)('fails %s with exactly the expected errors', (rule) => {
    // A fixture with a deployed/ directory is checked as a change against that fleet (flota validate --base).
    const deployedDir = path.join(BAD, rule, 'deployed');
    const deployed = fs.existsSync(deployedDir) ? { deployed: deployedBudgets(loadFleet(deployedDir)) } : {};
    // …and one with missing-secrets.txt as if `flota validate --aws` found those secrets missing in Secrets Manager.
    const missingFile = path.join(BAD, rule, 'missing-secrets.txt');
    const missing = fs.existsSync(missingFile) ? { missingSecrets: new Set(fs.readFileSync(missingFile, 'utf8').split('\n').filter(Boolean)) } : {};
    const result = loadManifest(`${FIXTURES}/bad/${rule}`, { cwd: ROOT, ...deployed, ...missing });
    if (result.ok) throw new Error(`expected ${rule} to be invalid`);
    const { errors } = result;
    const expected = fs.readFileSync(path.join(BAD, rule, 'expected.txt'), 'utf8').trimEnd().split('\n');
    expect(errors.map(formatError)).toEqual(expected);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set([rule]));
  });
});

describe('error details', () => {
  const bad = (rule: string) => `${FIXTURES}/bad/${rule}`;

  test('fails on an unknown key with a "did you mean" and points at the key', () => {
    const [typo, unknown] = errorsOf(bad('unknown-key'));
    expect(typo).toMatchObject({ code: 'unknown-key', line: 9, col: 3, path: 'ingest.batchsize', got: '"batchsize"', fix: 'did you mean "batchSize"?' });
    expect(unknown).toMatchObject({ line: 10, col: 1, path: 'colour' });
    expect(unknown!.fix).toContain('allowed keys here: id, name, owner, tier, wave');
  });

  test('reports a misspelt required key once, as the typo (not also as a missing field or an empty contact)', () => {
    const fleetText = fs.readFileSync(path.join(ROOT, FIXTURES, 'good/minimal/_fleet.yaml'), 'utf8');
    const fileSystem: ManifestFileSystem = {
      readdir: () => ['_fleet.yaml', 'alpha.yaml'],
      readFile: (file) =>
        file.endsWith('_fleet.yaml')
          ? fleetText
          : 'id: alpha\nname: Alpha\nowner: {team: data, emial: data@example.com}\ntier: bronze\nalerts:\n  page:\n    slak: {webhookUrlSecret: flota/data/slack}\ntags: {cost-centre: CC-1}\n',
    };
    expect(errorsOf('virtual', { fileSystem }).map((e) => `${e.line}:${e.col} ${e.code} ${e.path} ${e.fix}`)).toEqual([
      '3:21 unknown-key owner.emial did you mean "email"?',
      '7:5 unknown-key alerts.page.slak did you mean "slack"?',
    ]);
  });

  test('fails on an out-of-range SLO target, naming the allowed range', () => {
    const errors = errorsOf(bad('out-of-range'));
    expect(errors.find((e) => e.path === 'slo.availability')).toEqual({
      code: 'out-of-range',
      file: `${bad('out-of-range')}/alpha.yaml`,
      line: 12,
      col: 17,
      path: 'slo.availability',
      message: 'must be at most 99.999',
      got: '99.9999',
      fix: 'use a value from 50 to 99.999',
    });
  });

  test('fails on records.types entries that misuse *, contain whitespace or NUL, with one error per entry', () => {
    const errors = errorsOf(bad('invalid-format')).filter((e) => e.path.startsWith('records.'));
    expect(errors.map((e) => `${e.file.split('/').pop()}:${e.line}:${e.col} ${e.code} ${e.path}: ${e.message} (got ${e.got}; ${e.fix})`)).toEqual([
      `alpha.yaml:19:7 invalid-format records.types.2: '*' is allowed only at the end of an entry (a prefix match such as "order.*") (got "order.*.created"; keep one '*' as the last character (e.g. "order.*" accepts "order.created"), or list each type in full)`,
      `alpha.yaml:20:7 invalid-format records.types.3: '*' alone would accept every type (got "*"; omit records.types to accept any type)`,
      'alpha.yaml:21:7 invalid-format records.types.4: must not contain whitespace (got "order created"; write the type without spaces, tabs or line breaks, e.g. "order.created")',
      'alpha.yaml:22:7 invalid-format records.types.5: must not contain a NUL character (got "order\\u0000created"; remove the NUL (\\0) character)',
    ]);
    expect(errors.every((e) => e.file === `${bad('invalid-format')}/alpha.yaml`)).toBe(true);
  });

  test('fails on an empty records.types list, entries outside 1..64 characters and maxPayloadBytes outside 1..204800', () => {
    const errors = errorsOf(bad('out-of-range')).filter((e) => e.path.startsWith('records.'));
    expect(errors.map((e) => `${e.file.split('/').pop()}:${e.line}:${e.col} ${e.code} ${e.path}: ${e.message} (got ${e.got}; ${e.fix})`)).toEqual([
      'alpha.yaml:18:10 out-of-range records.types: must have at least 1 item (got an empty list; give 1..100 items)',
      'alpha.yaml:19:20 out-of-range records.maxPayloadBytes: must be at most 204800 (got 204801; use a value from 1 to 204800)',
      'beta.yaml:10:7 out-of-range records.types.0: must have at least 1 character (got ""; give 1..64 characters)',
      'beta.yaml:11:7 out-of-range records.types.1: must have at most 64 characters (got "order.created.with.a.very.long.qualifier.that.no.record.type.needs"; give 1..64 characters)',
      'beta.yaml:12:20 out-of-range records.maxPayloadBytes: must be at least 1 (got 0; use a value from 1 to 204800)',
    ]);
  });

  test('fails on a duplicate records.types entry, at the repeat, naming the first', () => {
    expect(only(bad('duplicate-entry'))).toEqual({
      code: 'duplicate-entry',
      file: `${bad('duplicate-entry')}/alpha.yaml`,
      line: 12,
      col: 7,
      path: 'records.types.2',
      message: 'is already listed as records.types.0',
      got: '"order.created"',
      fix: 'remove one of the two entries',
    });
  });

  test('accepts 1..100 records.types entries (exact types and prefixes) and refuses a 101st', () => {
    const fleetText = fs.readFileSync(path.join(ROOT, FIXTURES, 'good/minimal/_fleet.yaml'), 'utf8');
    const tenantWith = (types: readonly string[]): ManifestFileSystem => ({
      readdir: () => ['_fleet.yaml', 'alpha.yaml'],
      readFile: (file) =>
        file.endsWith('_fleet.yaml')
          ? fleetText
          : `id: alpha\nname: Alpha\nowner: {team: data, email: data@example.com}\ntier: bronze\nrecords:\n  types: ${JSON.stringify(types)}\ntags: {cost-centre: CC-1}\n`,
    });
    const types = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `order.kind-${i}` : `order.kind-${i}.*`));
    const ok = loadManifest('virtual', { cwd: ROOT, fileSystem: tenantWith(types(100)) });
    expect(ok.ok ? ok.manifest.tenants[0]!.tenant.records?.types : ok.errors.map(formatError)).toEqual(types(100));
    expect(errorsOf('virtual', { fileSystem: tenantWith(types(101)) }).map((e) => `${e.code} ${e.path}: ${e.message} (${e.fix})`)).toEqual([
      'out-of-range records.types: must have at most 100 items (give 1..100 items)',
    ]);
  });

  test('fails on an unknown key inside records with a "did you mean"', () => {
    const errors = errorsOf(bad('unknown-key'));
    expect(errors.find((e) => e.path === 'records.type')).toMatchObject({ code: 'unknown-key', line: 14, col: 3, fix: 'did you mean "types"?' });
  });

  test('fails on a literal secret without echoing it', () => {
    const errors = errorsOf(bad('secret-literal'));
    const text = errors.map(formatError).join('\n');
    expect(text).not.toContain('0123456789abcdef0123456789abcdef');
    expect(text).not.toContain('XXXXXXXXXXXXXXXX');
    expect(errors.map((e) => e.path)).toEqual(['alerts.page.pagerduty.integrationKeySecret', 'alerts.ticket.slack.webhookUrlSecret']);
    expect(errors[1]!.message).toBe('looks like a Slack webhook URL, i.e. the secret itself');
    expect(errors[1]!.fix).toMatch(/^name the Secrets Manager secret .*never its value/);
  });

  test('fails on a YAML syntax error with its position', () => {
    const [unclosed, duplicate] = errorsOf(bad('yaml-syntax'));
    expect(unclosed).toMatchObject({ code: 'yaml-syntax', line: 6, col: 1, got: 'MISSING_CHAR' });
    expect(duplicate).toMatchObject({ code: 'yaml-syntax', line: 4, col: 1, got: 'DUPLICATE_KEY', message: 'YAML syntax error: Map keys must be unique' });
  });

  test('fails on an id whose derived names exceed AWS limits, with the longest id that fits', () => {
    const e = only(bad('name-too-long'));
    expect(e.path).toBe('id');
    expect(e.message).toContain('IAM role name "flota-payments-settlement-reconciliation-eu-central-1-migrate-role" 66 characters long, over the limit of 64');
    expect(e.fix).toBe('shorten the id to at most 45 characters (the prefix "flota" counts against every name)');
  });

  test('fails on the connection budget against the overriding field, naming the fixes', () => {
    const e = only(bad('connection-budget'));
    expect(e).toMatchObject({ path: 'ingest.maxConcurrency', line: 9, col: 19, got: '40' });
    expect(e.message).toBe(
      'worst-case 91 database connections (ingest 40 × 2 + api 5 × 2 + migrate 1) exceed the budget of 67 (80 % of max_connections 84 on db.t4g.micro)',
    );
    expect(e.fix).toBe('lower ingest.maxConcurrency to ≤ 28, or set database.instanceClass: db.t4g.small');
  });

  test('reports a duplicate id against the file whose name differs from it', () => {
    expect(only(bad('duplicate-id'))).toMatchObject({ file: `${bad('duplicate-id')}/alpha.yml`, path: 'id', message: `is already used by ${bad('duplicate-id')}/alpha.yaml` });
  });

  test('fails on an unreadable file (injected EACCES: tests run as root, where chmod 000 stays readable)', () => {
    const dir = `${FIXTURES}/good/minimal`;
    const fileSystem: ManifestFileSystem = {
      readdir: (d) => fs.readdirSync(d),
      readFile: (file) => {
        if (file.endsWith('alpha.yaml')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        return fs.readFileSync(file, 'utf8');
      },
    };
    expect(errorsOf(dir, { fileSystem })).toEqual([
      {
        code: 'unreadable-file',
        file: `${dir}/alpha.yaml`,
        line: 1,
        col: 1,
        path: '(file)',
        message: 'cannot be read',
        got: 'EACCES',
        fix: 'make the file readable (chmod 644) or remove it',
      },
    ]);
  });

  test('fails on a missing tenants directory', () => {
    expect(only(`${FIXTURES}/does-not-exist`)).toMatchObject({ code: 'unreadable-file', message: 'tenants directory does not exist', got: 'ENOENT' });
  });

  test('collects errors across all files instead of stopping at the first', () => {
    const fileSystem: ManifestFileSystem = {
      readdir: () => ['_fleet.yaml', 'a.yaml', 'b.yaml'],
      readFile: (file) => {
        if (file.endsWith('_fleet.yaml')) return fs.readFileSync(path.join(ROOT, FIXTURES, 'good/minimal/_fleet.yaml'), 'utf8');
        const id = path.basename(file, '.yaml');
        return `id: ${id}\nname: ${id}\nowner: {team: t, email: t@example.com}\ntier: gold\nwave: 0\ntags: {cost-centre: x}\n`;
      },
    };
    const errors = errorsOf('virtual', { fileSystem });
    expect(errors.map((e) => `${e.file} ${e.code} ${e.path}`)).toEqual([
      'virtual/a.yaml out-of-range wave',
      'virtual/b.yaml out-of-range wave',
    ]);
  });

  test('fails on a tier whose own defaults break the connection budget, against _fleet.yaml', () => {
    const fleetText = fs
      .readFileSync(path.join(ROOT, FIXTURES, 'good/minimal/_fleet.yaml'), 'utf8')
      .replace('maxConcurrency: 5\n', 'maxConcurrency: 50\n');
    const fileSystem: ManifestFileSystem = {
      readdir: () => ['_fleet.yaml', 'alpha.yaml'],
      readFile: (file) => (file.endsWith('_fleet.yaml') ? fleetText : fs.readFileSync(path.join(ROOT, FIXTURES, 'good/minimal/alpha.yaml'), 'utf8')),
    };
    const errors = errorsOf('virtual', { fileSystem });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'connection-budget', file: 'virtual/_fleet.yaml', path: 'tiers.bronze.ingest.maxConcurrency', got: '50' });
    expect(errors[0]!.message).toMatch(/^tier bronze: worst-case 111 database connections/);
    expect(errors[0]!.fix).toContain('lower tiers.bronze.ingest.maxConcurrency to ≤ 28');
  });
});

describe('formatError and ManifestValidationError', () => {
  const error: ManifestError = { code: 'out-of-range', file: 'tenants/a.yaml', line: 3, col: 7, path: 'wave', message: 'must be at least 1', got: '0', fix: 'use a value from 1 to 10' };

  test('formats FILE:LINE:COL: path: message (got VALUE; fix)', () => {
    expect(formatError(error)).toBe('tenants/a.yaml:3:7: wave: must be at least 1 (got 0; use a value from 1 to 10)');
  });

  test('ManifestValidationError has a stable name, every error and a summary message', () => {
    const e = new ManifestValidationError([error, { ...error, file: 'tenants/b.yaml' }]);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ManifestValidationError');
    expect(e.errors).toHaveLength(2);
    expect(e.message.split('\n')[0]).toBe('2 manifest errors in 2 files:');
  });
});

describe('did you mean', () => {
  test('suggests close keys case-insensitively and nothing for unrelated words', () => {
    expect(editDistance('batchsize', 'batchSize')).toBe(0);
    expect(didYouMean('maxConcurency', ['maxConcurrency', 'maxReceiveCount'])).toBe('maxConcurrency');
    expect(didYouMean('colour', ['id', 'name', 'owner', 'tier'])).toBeUndefined();
  });
});

describe('robustness', () => {
  const fleetText = fs.readFileSync(path.join(ROOT, FIXTURES, 'good/minimal/_fleet.yaml'), 'utf8');
  const tenantText = fs.readFileSync(path.join(ROOT, FIXTURES, 'good/minimal/alpha.yaml'), 'utf8').replace(/alpha/g, 'orders');
  const bad = (rule: string) => `${FIXTURES}/bad/${rule}`;
  const withTenant = (text: string): ManifestFileSystem => ({
    readdir: () => ['_fleet.yaml', 'orders.yaml'],
    readFile: (file) => (file.endsWith('_fleet.yaml') ? fleetText : text),
  });

  test.each([
    ['a list', '- a\n- b\n', 'wrong-type', 'must be a mapping'],
    ['a scalar', 'hello\n', 'wrong-type', 'must be a mapping'],
    ['only comments', '# nothing here\n', 'missing-field', 'file is empty'],
    ['tabs', 'id: orders\n\tname: x\n', 'yaml-syntax', 'YAML syntax error'],
    ['two documents', 'id: a\n---\nid: b\n', 'yaml-syntax', 'YAML syntax error'],
  ])('fails on a tenant file holding %s without throwing', (_what, text, code, message) => {
    const errors = errorsOf('virtual', { fileSystem: withTenant(text) });
    expect(errors[0]).toMatchObject({ code, file: 'virtual/orders.yaml' });
    expect(errors[0]!.message).toContain(message);
  });

  test('fails on YAML that parses but cannot resolve, at the offending node', () => {
    const errors = errorsOf(bad('yaml-resolve'));
    expect(errors.map((e) => [e.file.replace(/.*\//, ''), e.line, e.col, e.got])).toEqual([
      ['alpha.yaml', 5, 8, '*team'],
      ['beta.yaml', 11, 10, '*tags'],
      ['delta.yaml', 10, 3, 'a list, mapping, alias or binary value as a key'],
      ['gamma.yaml', 4, 7, 'TAG_RESOLVE_FAILED'],
    ]);
  });

  test('refuses an alias expansion bomb instead of expanding it', () => {
    const laughs = ['id: orders', 'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]', ...['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`)].join('\n');
    const errors = errorsOf('virtual', { fileSystem: withTenant(`${laughs}\n`) });
    expect(errors).toEqual([expect.objectContaining({ code: 'yaml-resolve', file: 'virtual/orders.yaml', message: expect.stringContaining('Excessive alias count') })]);
  });

  // Whatever bytes a file holds, reading it ends in sentences: one `FILE:LINE:COL: path: what (got …; fix)` line per
  // error, inside the file, and never an exception (which the CLI would print as a stack trace).
  const expectSentences = (fileSystem: ManifestFileSystem, texts: readonly string[]) => {
    let result: ReturnType<typeof loadManifest> | undefined;
    expect(() => (result = loadManifest('virtual', { cwd: ROOT, fileSystem }))).not.toThrow();
    if (result === undefined || result.ok) return;
    const maxLines = Math.max(...texts.map((t) => t.split('\n').length));
    for (const e of result.errors) {
      const line = formatError(e);
      expect(line).toMatch(/^virtual\/(orders|_fleet)\.yaml:\d+:\d+: \S.*: .+ \(got .*; .+\)$/s);
      expect(line).not.toMatch(/\n\s+at /);
      expect(e.line).toBeLessThanOrEqual(maxLines);
    }
  };
  const bothFiles = (tenant: string, fleet = fleetText): ManifestFileSystem => ({
    readdir: () => ['_fleet.yaml', 'orders.yaml'],
    readFile: (file) => (file.endsWith('_fleet.yaml') ? fleet : tenant),
  });

  test('turns random bytes into sentences, in a tenant file and in _fleet.yaml', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, asFleet) => {
        const text = Buffer.from(bytes).toString('utf8');
        expectSentences(asFleet ? bothFiles(tenantText, text) : bothFiles(text), [text, fleetText, tenantText]);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  test('turns random YAML documents (anchors, aliases, tags, flow and block collections) into sentences', () => {
    const token = fc.constantFrom(
      'id: orders', 'name: x', 'owner:', 'tier: bronze', 'tags:', 'a', 'b:', ': ', '- ', '? ', ', ', '&x ', '*x', '&y ', '*y', '!!int ', '!!str ',
      '!!binary ', '!!map ', '!secret ', '!!float ', '<<: ', '[', ']', '{', '}', '"', "'", '|', '>', '# c', '---', '...', '%YAML 1.2', '%TAG ! tag:x,2000:',
      '\n', '\n  ', '\n    ', '\t', '0x1F', '1e400', '.nan', '-.inf', '~', 'null', 'true', 'yes', '2001-12-14', '"\\u0000"', '\u00e9', '\u{1F600}',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.boolean(), (tokens, asFleet) => {
        const text = tokens.join('');
        expectSentences(asFleet ? bothFiles(tenantText, `${fleetText}\n${text}`) : bothFiles(text), [text, `${fleetText}\n${text}`, tenantText]);
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  test('turns any JSON-like value, written as YAML, into sentences', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = stringify(value);
        expectSentences(bothFiles(text), [text, fleetText]);
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  test('never throws and always points inside the file, whatever the YAML says', () => {
    // Random edits of a valid tenant: replace one value anywhere with arbitrary YAML-able junk.
    const base = loadManifest(`${FIXTURES}/good/overrides`, { cwd: ROOT });
    if (!base.ok) throw new Error('fixture invalid');
    const junk = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));
    fc.assert(
      fc.property(fc.nat(), junk, (pick, value) => {
        const doc = JSON.parse(JSON.stringify(base.manifest.tenants.find((t) => t.tenant.id === 'orders')!.tenant)) as Record<string, unknown>;
        const paths: string[][] = [];
        const walk = (node: unknown, p: string[]) => {
          if (node !== null && typeof node === 'object' && !Array.isArray(node)) for (const [k, v] of Object.entries(node)) walk(v, [...p, k]);
          paths.push(p);
        };
        walk(doc, []);
        const target = paths[pick % paths.length]!;
        if (target.length === 0) return;
        let parent = doc as Record<string, unknown>;
        for (const k of target.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
        parent[target[target.length - 1]!] = value;
        const text = stringify(doc);
        const result = loadManifest('virtual', { cwd: ROOT, fileSystem: withTenant(text) });
        if (!result.ok) {
          for (const e of result.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.line).toBeLessThanOrEqual(text.split('\n').length);
            expect(formatError(e)).toMatch(/^virtual\/orders\.yaml:\d+:\d+: \S.*: .+ \(got .+; .+\)$/s);
          }
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
