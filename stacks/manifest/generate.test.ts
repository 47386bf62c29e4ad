import * as fs from 'node:fs';
import * as path from 'node:path';
import { fieldRows, fleetJsonSchema, generatedArtifacts, tenantJsonSchema } from './generate';

const ROOT = path.resolve(__dirname, '..', '..');

describe('generated artifacts', () => {
  test.each(generatedArtifacts().map((a) => [a.path, a] as const))('%s matches the schema (run `npx tsx stacks/manifest/generate.ts` after changing schema.ts)', (file, artifact) => {
    const target = path.join(ROOT, file);
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (committed !== artifact.content) {
      throw new Error(`${file} is out of date with stacks/manifest/schema.ts: run \`npx tsx stacks/manifest/generate.ts\` and commit the result`);
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
