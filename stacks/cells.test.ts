/**
 * A fleet over several cells (accounts) synthesizes one platform stack per cell, tenant stacks that deploy into their
 * cell's account through its deploy role, and one observability stack that reads every cell through CloudWatch
 * cross-account observability. Built from the generated 1,000-tenant, 3-cell example (fleet/testing/generated-manifest.ts)
 * with two tenants per cell, so the test stays fast; bench:synth synthesizes all 1,000.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadFleet } from '../fleet';
import type { FleetModel } from '../fleet/model/types';
import { generatedAccountId, writeGeneratedManifest } from '../fleet/testing/generated-manifest';
import { testBundles } from './testing/test-bundles';
import { onlyResource, resourcesOf, synthesizeToTemp, type StackJson, type SynthesizedFleet } from './testing/synth';

let synthesized: SynthesizedFleet;
let fleet: FleetModel;
const stack = (name: string): StackJson => synthesized.stacks[name]!;
const role = (i: number) => `arn:aws:iam::${generatedAccountId(i)}:role/flota-deploy`;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-cells-synth-'));
  try {
    writeGeneratedManifest(dir, { tenants: 1000, cells: 3 });
    const full = loadFleet(dir, { cwd: dir });
    const sample = full.cells.flatMap((cell) => full.tenants.filter((t) => t.cell === cell.name).slice(0, 2));
    fleet = { ...full, tenants: sample };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  synthesized = synthesizeToTemp({ fleet, bundles: testBundles(), migrationsChecksum: 'x' });
});
afterAll(() => synthesized.cleanup());

describe('a fleet of three cells', () => {
  test('synthesizes one platform stack per cell, the tenant stacks and the observability stack', () => {
    expect(Object.keys(synthesized.stacks).sort()).toEqual(
      ['observability', 'platform-cell-1', 'platform-cell-2', 'platform-cell-3', ...fleet.tenants.map((t) => t.stackName)].sort(),
    );
  });

  test("each stack's provider assumes its cell's deploy role; state stays in the fleet's bucket", () => {
    for (const [i, cell] of fleet.cells.entries()) {
      expect(stack(cell.platformStackName).provider.aws[0]).toMatchObject({ region: 'eu-west-1', assume_role: [{ role_arn: role(i) }] });
      for (const tenant of fleet.tenants.filter((t) => t.cell === cell.name)) {
        const s = stack(tenant.stackName);
        expect(s.provider.aws[0]).toMatchObject({ assume_role: [{ role_arn: role(i), session_name: `flota-${tenant.stackName}`.slice(0, 64) }] });
        expect(s.terraform.backend.s3).toMatchObject({ bucket: fleet.state.bucket, key: `${fleet.state.keyPrefix}/${tenant.stackName}.tfstate` });
      }
    }
    expect(stack('observability').provider.aws[0]).toMatchObject({ assume_role: [{ role_arn: role(0) }] });
  });

  test('only the first cell holds the Grafana workspace and the cross-account observability sink, open to the other cells for metrics', () => {
    expect(Object.keys(resourcesOf(stack('platform-cell-1'), 'aws_grafana_workspace'))).toHaveLength(1);
    const policy = JSON.parse(onlyResource(stack('platform-cell-1'), 'aws_oam_sink_policy')['policy'] as string) as { Statement: Record<string, unknown>[] };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: [generatedAccountId(1), generatedAccountId(2)] },
        Action: ['oam:CreateLink', 'oam:UpdateLink'],
        Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': ['AWS::CloudWatch::Metric'] } },
      }),
    ]);
    const published = Object.values(resourcesOf(stack('platform-cell-1'), 'aws_ssm_parameter')).find((p) => p['name'] === fleet.observability.crossAccountSink!.arnParameter);
    expect(published).toMatchObject({ type: 'String', value: expect.stringMatching(/^\$\{aws_oam_sink\./) });
    for (const name of ['platform-cell-2', 'platform-cell-3']) {
      expect(resourcesOf(stack(name), 'aws_grafana_workspace')).toEqual({});
      expect(onlyResource(stack(name), 'aws_oam_link')).toMatchObject({ resource_types: ['AWS::CloudWatch::Metric'] });
      // the sink ARN is read from the monitoring account with a second, aliased provider
      expect(stack(name).provider.aws[1]).toMatchObject({ alias: 'monitoring', assume_role: [{ role_arn: role(0) }] });
    }
  });

  test("every cell's platform has its own shared DB subnet group and tier parameter groups", () => {
    for (const cell of fleet.cells) {
      expect(onlyResource(stack(cell.platformStackName), 'aws_db_subnet_group')['name']).toBe('flota-db-subnets');
      const groups = Object.values(resourcesOf(stack(cell.platformStackName), 'aws_db_parameter_group')).map((g) => g['name']);
      expect(groups.sort()).toEqual(cell.parameterGroups.map((g) => g.name).sort());
    }
  });
});
