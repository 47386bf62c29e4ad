import { readGolden, synthesizedDigests } from './testing/golden';

describe('synthesized output golden (fixture fleet)', () => {
  test('every synthesized file is byte-identical to stacks/__golden__/fixture-fleet.json', async () => {
    const golden = readGolden();
    const actual = await synthesizedDigests();
    const differing = [...new Set([...Object.keys(golden), ...Object.keys(actual)])]
      .filter((file) => golden[file] !== actual[file])
      .map((file) => `${file}: ${golden[file] === undefined ? 'new' : actual[file] === undefined ? 'gone' : 'changed'}`);
    if (differing.length > 0) {
      throw new Error(
        `synthesized output differs from the golden in ${differing.length} file(s):\n  ${differing.join('\n  ')}\n` +
          'A refactor must not change it. If the change is intended, run `npx tsx stacks/testing/golden.ts --write` and commit the golden with the change.',
      );
    }
    expect(Object.keys(actual).length).toBeGreaterThan(4);
  });
});
