import { describe, expect, it } from 'vitest';
import { decideSave, type SavedLogin, type Submitted } from './decide-save.ts';

const saved: SavedLogin[] = [
  { id: 'a', name: 'Bank', username: 'ana@example.com', password: 'old-pass' },
  { id: 'b', name: 'Bank (work)', username: 'ana@work.test', password: 'work-pass' },
];
const login = (username: string, password: string): Submitted => ({
  kind: 'login',
  username,
  password,
  newPassword: '',
});

describe('decideSave', () => {
  it('should offer nothing when the login is already saved', () => {
    expect(decideSave(saved, login('Ana@Example.com ', 'old-pass'), false)).toEqual({
      kind: 'none',
    });
  });

  it('should offer an update when a saved username signs in with another password', () => {
    expect(decideSave(saved, login('ana@example.com', 'new-pass'), false)).toEqual({
      kind: 'update',
      id: 'a',
      name: 'Bank',
      username: 'ana@example.com',
      password: 'new-pass',
    });
  });

  it('should offer to save a username it does not know', () => {
    expect(decideSave(saved, login('bob@example.com', 'pw'), false)).toEqual({
      kind: 'save',
      username: 'bob@example.com',
      password: 'pw',
    });
  });

  it('should offer nothing for the never list or an empty password', () => {
    expect(decideSave(saved, login('bob@example.com', 'pw'), true)).toEqual({ kind: 'none' });
    expect(decideSave(saved, login('bob@example.com', ''), false)).toEqual({ kind: 'none' });
  });

  it('should update the login whose password was the current one on a change-password form', () => {
    const s: Submitted = {
      kind: 'change-password',
      username: '',
      password: 'work-pass',
      newPassword: 'n3w',
    };
    expect(decideSave(saved, s, false)).toMatchObject({ kind: 'update', id: 'b', password: 'n3w' });
    expect(decideSave(saved, { ...s, newPassword: 'work-pass' }, false)).toEqual({ kind: 'none' });
  });

  it('should save a password-only login unless that password is saved', () => {
    expect(decideSave(saved, login('', 'old-pass'), false)).toEqual({ kind: 'none' });
    expect(decideSave(saved, login('', 'other'), false)).toMatchObject({ kind: 'save' });
  });

  it('should offer to save the new password of a signup', () => {
    const s: Submitted = {
      kind: 'signup',
      username: 'new@x.test',
      password: '',
      newPassword: 'pw2',
    };
    expect(decideSave(saved, s, false)).toEqual({
      kind: 'save',
      username: 'new@x.test',
      password: 'pw2',
    });
  });
});
