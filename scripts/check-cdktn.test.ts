import { jsonDifferences, rewriteImports, summarizeDifferences } from './check-cdktn';

test('rewrites cdktf and provider imports, deep paths included, and nothing else', () => {
  const source = [
    "import { App, TerraformStack } from 'cdktf';",
    "import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';",
    'import { AwsProvider } from "@cdktf/provider-aws/lib/provider";',
    "import { Construct } from 'constructs';",
    "const label = 'cdktf is archived';",
  ].join('\n');
  expect(rewriteImports(source).split('\n')).toEqual([
    "import { App, TerraformStack } from 'cdktn';",
    "import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';",
    'import { AwsProvider } from "@cdktn/provider-aws/lib/provider";',
    "import { Construct } from 'constructs';",
    "const label = 'cdktf is archived';",
  ]);
});

test('lists leaf differences and groups them by path across stacks', () => {
  const a = { terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } }, resource: { x: { y: 1 } } };
  const b = { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } } }, resource: { x: { y: 1, z: 2 } } };
  const diff = jsonDifferences(a, b);
  expect(diff).toEqual([
    { path: 'resource.x.z', cdktf: undefined, cdktn: 2 },
    { path: 'terraform.required_providers.aws.source', cdktf: 'aws', cdktn: 'hashicorp/aws' },
  ]);
  const grouped = summarizeDifferences(new Map([['tenant-a', diff], ['tenant-b', diff.slice(1)]]));
  expect(grouped.map((g) => [g.path, g.stacks])).toEqual([
    ['terraform.required_providers.aws.source', 2],
    ['resource.x.z', 1],
  ]);
});
