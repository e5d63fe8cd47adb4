import { describe, expect, it } from 'vitest';
import { linearFit } from './report.ts';

describe('linearFit', () => {
  it('should find the line through points that lie on one', () => {
    const fit = linearFit([
      [1_000, 700],
      [10_000, 3_400],
      [100_000, 30_400],
    ]);
    expect(fit.slope * 1_000).toBeCloseTo(300, 6);
    expect(fit.intercept).toBeCloseTo(400, 6);
    expect(fit.r2).toBeCloseTo(1, 9);
  });

  it('should say how far from a line growth is (quadratic growth explains less)', () => {
    const fit = linearFit([1, 2, 3, 4, 5, 6].map((x) => [x * 1_000, x * x]));
    expect(fit.r2).toBeLessThan(0.97);
    expect(fit.slope).toBeGreaterThan(0);
  });
});
