import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { fieldRows, fleetJsonSchema, generatedArtifacts, tenantJsonSchema } from './generate';
import { TenantSchema } from './schema';

const ROOT = path.resolve(__dirname, '..', '..');

describe('generated artifacts', () => {
  test.each(generatedArtifacts().map((a) => [a.path, a] as const))('%s matches the schema (run `npx tsx fleet/manifest/generate.ts` after changing fleet/manifest/schema/)', (file, artifact) => {
    const target = path.join(ROOT, file);
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (committed !== artifact.content) {
      throw new Error(`${file} is out of date with fleet/manifest/schema/: run \`npx tsx fleet/manifest/generate.ts\` and commit the result`);
    }
  });

  test.each([
    ['tenant', tenantJsonSchema()],
    ['fleet', fleetJsonSchema()],
  ])('every optional %s field documents its default', (_name, schema) => {
    const undocumented = fieldRows(schema)
      .filter((row) => !row.required && !row.path.endsWith('.<key>') && !/\.(email|slack|pagerduty|sns)$/.test(row.path))
      .filter((row) => row.defaultText === undefined)
      .map((row) => row.path);
    expect(undocumented).toEqual([]);
  });

  test('every field has a description', () => {
    const missing = [...fieldRows(tenantJsonSchema()), ...fieldRows(fleetJsonSchema())]
      .filter((row) => row.description === '' && !row.path.endsWith('.<key>'))
      .map((row) => row.path);
    expect(missing).toEqual([]);
  });

  test('rejects unknown keys everywhere (additionalProperties: false on every object)', () => {
    const open: string[] = [];
    const visit = (node: Record<string, unknown>, p: string) => {
      if (node['type'] === 'object' && node['properties'] !== undefined && node['additionalProperties'] !== false) open.push(p);
      for (const [key, child] of Object.entries((node['properties'] as Record<string, Record<string, unknown>>) ?? {})) visit(child, `${p}.${key}`);
      if (typeof node['additionalProperties'] === 'object') visit(node['additionalProperties'] as Record<string, unknown>, `${p}.<key>`);
    };
    visit(tenantJsonSchema(), 'tenant');
    visit(fleetJsonSchema(), 'fleet');
    expect(open).toEqual([]);
  });

  test("the editors' records.types pattern accepts exactly the entries the loader accepts", () => {
    type Node = { properties: Record<string, Node>; items: { pattern: string } };
    const records = (tenantJsonSchema() as unknown as Node).properties['records']!;
    const pattern = new RegExp(records.properties['types']!.items.pattern, 'u');
    const tenant = { id: 'alpha', name: 'Alpha', owner: { team: 'data', email: 'data@example.com' }, tier: 'bronze', tags: {} };
    const entry = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'Z', '.', '-', '_', '*', ' ', '\t', '\n', '\0', 'é') });
    fc.assert(
      fc.property(entry, (type) => {
        expect(pattern.test(type)).toBe(TenantSchema.safeParse({ ...tenant, records: { types: [type] } }).success);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  test('every shipped manifest starts with its yaml-language-server schema line', () => {
    const dir = path.join(ROOT, 'tenants');
    const wrong = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.yaml'))
      .filter((name) => {
        const first = fs.readFileSync(path.join(dir, name), 'utf8').split('\n')[0];
        const schema = name === '_fleet.yaml' ? './fleet.schema.json' : './tenant.schema.json';
        return first !== `# yaml-language-server: $schema=${schema}`;
      });
    expect(wrong).toEqual([]);
  });
});
