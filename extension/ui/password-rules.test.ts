import { describe, expect, it } from 'vitest';
import { generateForRules, parsePasswordRules } from './password-rules.ts';

const many = (rules: Parameters<typeof generateForRules>[0], n = 300) =>
  Array.from({ length: n }, () => generateForRules(rules));

describe('parsePasswordRules', () => {
  it('should read classes, bracketed characters, lengths and max-consecutive', () => {
    const r = parsePasswordRules(
      'minlength: 8; maxlength: 12; required: lower; required: upper, digit; allowed: [-_!]; max-consecutive: 2; unknown: 5',
    );
    expect(r.minLength).toBe(8);
    expect(r.maxLength).toBe(12);
    expect(r.maxConsecutive).toBe(2);
    expect(r.required).toHaveLength(2);
    expect(r.required[1]).toContain('A');
    expect(r.required[1]).toContain('7');
    expect(r.allowed).toBe('-_!');
  });
});

describe('generateForRules', () => {
  it('should give the default strong password when the field says nothing', () => {
    for (const p of many(undefined, 20)) expect(p).toHaveLength(20);
    for (const p of many({}, 20)) expect(p).toHaveLength(20);
  });

  it('should keep within maxlength and reach minlength', () => {
    for (const p of many({ maxLength: 12 })) expect(p).toHaveLength(12);
    for (const p of many({ minLength: 32 })) expect(p).toHaveLength(32);
    for (const p of many({ minLength: 8, maxLength: 10 })) expect(p).toHaveLength(10);
  });

  it('should honour passwordrules: each required class, only allowed characters, no long runs', () => {
    const rules = {
      passwordrules:
        'minlength: 10; maxlength: 14; required: lower; required: upper; required: digit; required: [!$]; max-consecutive: 1',
    };
    for (const p of many(rules)) {
      expect(p.length).toBeGreaterThanOrEqual(10);
      expect(p.length).toBeLessThanOrEqual(14);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/\d/);
      expect(p).toMatch(/[!$]/);
      expect(p).toMatch(/^[a-zA-Z0-9!$]+$/);
      expect(p).not.toMatch(/(.)\1/);
    }
  });

  it('should use only what `allowed` lists when no class is required', () => {
    for (const p of many({ passwordrules: 'allowed: digit; minlength: 6; maxlength: 6' }))
      expect(p).toMatch(/^\d{6}$/);
  });

  it('should match the field pattern, narrowing the alphabet when the pattern asks', () => {
    for (const p of many({ pattern: '[A-Za-z0-9]{8,16}' }, 50))
      expect(p).toMatch(/^[A-Za-z0-9]{16}$/);
    for (const p of many({ pattern: '\\d{6}', maxLength: 6 }, 50)) expect(p).toMatch(/^\d{6}$/);
  });

  it('should ignore an invalid pattern the way the browser does', () => {
    expect(generateForRules({ pattern: '([' })).toHaveLength(20);
  });
});
