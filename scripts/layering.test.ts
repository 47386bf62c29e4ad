/**
 * The layering lint rules (eslint.config.js) reject each import that crosses a layer the wrong way, and accept the
 * allowed direction. Linted as text at a virtual path, so no file is written.
 */
import { Linter } from 'eslint';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the repository's own flat config, as `npm run lint` loads it
const config = require('../eslint.config.js') as Linter.Config[];
const linter = new Linter({ cwd: root, configType: 'flat' });

async function restricted(file: string, specifier: string): Promise<boolean> {
  const messages = linter.verify(`import '${specifier}';\n`, config, path.join(root, file));
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layering: imports go one way', () => {
  test.each([
    ['functions/api/x.ts', '../../fleet/model/types', 'functions import only contract and functions'],
    ['functions/api/x.ts', '../../stacks/app', 'functions never import stacks'],
    ['functions/api/x.ts', '../../dev/fleet', 'functions never import the dev fleet'],
    ['functions/api/x.ts', 'cdktf', 'functions never import cdktf'],
    ['contract/x.ts', '../functions/shared/db', 'contract imports only contract'],
    ['contract/x.ts', '../fleet/model/types', 'contract imports only contract'],
    ['fleet/manifest/x.ts', '../model/names', 'manifest never imports the model'],
    ['fleet/model/x.ts', '../manifest/loader', 'the model never imports the loader'],
    ['fleet/model/x.ts', '..', 'the model never imports fleet/index (the loader)'],
    ['fleet/model/x.ts', 'cdktf', 'the model never imports cdktf'],
    ['fleet/model/x.ts', '../../stacks/app', 'the model never imports stacks'],
    ['dashboards/x.ts', '../stacks/observability-stack', 'dashboards never import stacks'],
    ['dashboards/x.ts', '@cdktf/provider-aws/lib/sqs-queue', 'dashboards never import cdktf'],
    ['stacks/x.ts', '@cdktf/provider-aws', 'stacks never import the provider barrel'],
  ])('%s may not import %s (%s)', async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(true);
  });

  test.each([
    ['functions/api/x.ts', '../../contract/record'],
    ['functions/api/x.ts', '../shared/db'],
    ['fleet/model/x.ts', '../manifest/schema'],
    ['fleet/model/x.ts', '../../contract/telemetry'],
    ['fleet/x.ts', './manifest/loader'],
    ['dashboards/x.ts', '../fleet/model/types'],
    ['dashboards/x.ts', '../contract/telemetry'],
    ['stacks/x.ts', '../dashboards'],
    ['stacks/x.ts', '@cdktf/provider-aws/lib/sqs-queue'],
    ['functions/api/x.test.ts', '../../testing/database'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(false);
  });
});
