// After a person submits a form: offer to save a new login, to update a changed password, or
// nothing (what is submitted is already saved, or the site is on the "never" list).
//
//   submitted                                  | saved logins for the site        | offer
//   nothing to save (no password, no new one)  | –                                | none
//   login: username + password                 | same username, same password     | none
//                                              | same username, other password    | update it
//                                              | no such username                 | save new
//   login: password only (no username field)   | any with that password           | none
//                                              | otherwise                        | save new
//   change-password: current + new             | one whose password is current    | update it
//                                              | same username                    | update it
//                                              | none                             | save new
//   signup: username + new password            | same username                    | update it
//                                              | otherwise                        | save new
//   the new password equals the saved one      | –                                | none

export interface SavedLogin {
  id: string;
  name: string;
  username: string;
  password: string;
}

export interface Submitted {
  kind: 'login' | 'signup' | 'change-password';
  username: string;
  password: string;
  newPassword: string;
}

export type SaveOffer =
  | { kind: 'none' }
  | { kind: 'save'; username: string; password: string }
  | { kind: 'update'; id: string; name: string; username: string; password: string };

const sameUser = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function decideSave(saved: readonly SavedLogin[], s: Submitted, never: boolean): SaveOffer {
  const secret = s.kind === 'login' ? s.password : s.newPassword;
  if (never || !secret) return { kind: 'none' };
  const update = (l: SavedLogin): SaveOffer =>
    l.password === secret
      ? { kind: 'none' }
      : { kind: 'update', id: l.id, name: l.name, username: l.username, password: secret };
  const byUser = s.username ? saved.find((l) => sameUser(l.username, s.username)) : undefined;

  if (s.kind === 'change-password') {
    const byCurrent = s.password ? saved.find((l) => l.password === s.password) : undefined;
    const target = byCurrent ?? byUser;
    if (target) return update(target);
  } else if (s.kind === 'signup') {
    if (byUser) return update(byUser);
  } else if (s.username) {
    if (byUser) return update(byUser);
  } else if (saved.some((l) => l.password === secret)) {
    return { kind: 'none' };
  }
  return { kind: 'save', username: s.username, password: secret };
}
