import fc from 'fast-check';
import { checkTenantNames, deriveTenantNames, maxTenantIdLength, NAME_RULES } from './names';

describe('derived names', () => {
  test('every derived name contains the prefix-id base, except the stage', () => {
    const names = deriveTenantNames('flota', 'orders', 'prod');
    for (const rule of NAME_RULES) {
      if (rule.key === 'apiStage') expect(names.apiStage).toBe('prod');
      else if (rule.key === 'apiKeySecret') expect(names.apiKeySecret).toBe('flota/orders/api-key');
      else if (rule.key === 'cursorKeySecret') expect(names.cursorKeySecret).toBe('flota/orders/cursor-key');
      else expect(names[rule.key]).toContain('flota-orders');
    }
  });

  test('two different ids never produce the same name for the same kind of resource', () => {
    // ids built from the very words the suffixes use, the likeliest way to collide
    const word = fc.constantFrom('orders', 'ingest', 'api', 'db', 'dlq', 'migrate', 'role', 'lambda', 'records', 'final', 'postgres17', 'a', 'b1');
    const id = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join('-'));
    const kinds = [...new Set(NAME_RULES.map((r) => r.resource))];
    fc.assert(
      fc.property(id, id, (a, b) => {
        fc.pre(a !== b);
        const na = deriveTenantNames('flota', a, 'prod');
        const nb = deriveTenantNames('flota', b, 'prod');
        for (const kind of kinds) {
          const keys = NAME_RULES.filter((r) => r.resource === kind && r.key !== 'apiStage').map((r) => r.key);
          const left = keys.map((k) => na[k]);
          const right = keys.map((k) => nb[k]);
          expect(left.filter((n) => right.includes(n))).toEqual([]);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
    // the classic trap: tenant "orders" vs tenant "orders-ingest"
    const orders = deriveTenantNames('flota', 'orders', 'prod');
    const ordersIngest = deriveTenantNames('flota', 'orders-ingest', 'prod');
    expect(ordersIngest.queue).not.toBe(orders.queue);
    expect(ordersIngest.ingestFunction).not.toBe(orders.ingestFunction);
  });

  test('the longest allowed id fits every limit, one more character does not', () => {
    const max = maxTenantIdLength('flota', 'prod');
    expect(max).toBe(45); // IAM role "flota-<id>-migrate-role" ≤ 64
    expect(checkTenantNames(deriveTenantNames('flota', 'a'.repeat(max), 'prod'))).toEqual([]);
    const over = checkTenantNames(deriveTenantNames('flota', 'a'.repeat(max + 1), 'prod'));
    expect(over.map((v) => [v.rule.key, v.kind])).toEqual([['migrateRole', 'too-long']]);
  });

  test('a longer prefix leaves less room for the id', () => {
    expect(maxTenantIdLength('flota-platform', 'prod')).toBe(45 - 9);
  });

  test('fails an RDS identifier that would not start with a letter or would contain "--"', () => {
    const rule = NAME_RULES.find((r) => r.key === 'dbInstance')!;
    expect(rule.pattern.test('flota-orders-db')).toBe(true);
    expect(rule.pattern.test('1flota-orders-db')).toBe(false);
    expect(rule.pattern.test('flota--orders-db')).toBe(false);
    expect(rule.pattern.test('flota-orders-')).toBe(false);
    expect(rule.maxLength).toBe(63);
  });

  test('fails a security group name starting with "sg-" (prefix "sg")', () => {
    const violations = checkTenantNames(deriveTenantNames('sg', 'orders', 'prod'));
    expect(violations.map((v) => v.name)).toEqual(['sg-orders-lambda', 'sg-orders-db']);
  });
});
