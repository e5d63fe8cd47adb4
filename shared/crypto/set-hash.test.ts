import { beforeAll, describe, expect, it } from 'vitest';
import { emptySetHash, loadSetHash, sameSetHash, updateSetHash } from './set-hash.ts';

beforeAll(loadSetHash);

describe('set hash (LtHash16)', () => {
  it('should not depend on the order elements were added in, nor on the path taken', () => {
    const a = updateSetHash(emptySetHash(), ['x|1|t1', 'y|3|t2', 'z|2|t3'], []);
    let b = updateSetHash(emptySetHash(), ['z|2|t3'], []);
    b = updateSetHash(b, ['y|1|old'], []);
    b = updateSetHash(b, ['x|1|t1', 'y|3|t2'], ['y|1|old']);
    expect(sameSetHash(a, b)).toBe(true);
  });

  it('should differ for a set missing one element, holding another version, or another tag', () => {
    const full = updateSetHash(emptySetHash(), ['x|1|t1', 'y|3|t2'], []);
    for (const other of [['x|1|t1'], ['x|1|t1', 'y|2|t2'], ['x|1|t1', 'y|3|tX']])
      expect(sameSetHash(full, updateSetHash(emptySetHash(), other, []))).toBe(false);
    expect(sameSetHash(updateSetHash(full, [], ['x|1|t1', 'y|3|t2']), emptySetHash())).toBe(true);
  });
});
