import * as fs from 'node:fs';
import { RULE_GROUPS_GOLDEN, ruleGroupsGoldenText } from './golden';

describe('SLO rule groups golden (fixture fleet)', () => {
  test('the committed fleet/slo-simulator/__golden__/fixture-rule-groups.json matches the generator', () => {
    // on failure: review the diff, then `npx tsx fleet/slo-simulator/golden.ts --write` and commit the golden with the change
    expect(fs.readFileSync(RULE_GROUPS_GOLDEN, 'utf8')).toBe(ruleGroupsGoldenText());
  });
});
