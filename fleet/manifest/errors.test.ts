import { renderValue } from './errors';

describe('renderValue', () => {
  test.each([
    [undefined, 'nothing'],
    [null, 'null'],
    ['99.9', '"99.9"'],
    [42, '42'],
    [true, 'true'],
    [[], 'an empty list'],
    [[1, 2], 'a list of 2'],
    [{}, 'an empty mapping'],
    [{ a: 1, b: 2 }, 'a mapping with "a", "b"'],
    [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'a mapping with "a", "b", "c", "d", "e", … (6 keys)'],
  ])('renders %p as %s', (value, expected) => {
    expect(renderValue(value)).toBe(expected);
  });

  test('shortens long strings to one readable line', () => {
    const rendered = renderValue('x'.repeat(200));
    expect(rendered.length).toBeLessThanOrEqual(80);
    expect(rendered.endsWith('…"')).toBe(true);
  });
});
