// Notices a person submitting a login, signup or change-password form — a <form> submit, a
// click on a button next to the fields, or Enter in one of them — and reports the values the
// form held at that moment. Submits with no trusted user action just before are ignored: a page
// cannot script a "submit" to put words in the save prompt's mouth.
import type { FieldGroup } from './detect-fields.ts';

const RECENT_ACTION_MS = 1_500;
const BUTTONISH =
  'button, input[type=submit], input[type=button], input[type=image], [role=button]';

export interface Submission {
  group: FieldGroup;
  username: string;
  password: string;
  newPassword: string;
}

export function watchSubmits(
  groupFor: (el: Element) => FieldGroup | null,
  onSubmit: (s: Submission) => void,
): () => void {
  let lastTrustedAction = Number.NEGATIVE_INFINITY;
  let lastReported: { group: FieldGroup; at: number } | null = null;

  const report = (group: FieldGroup | null) => {
    if (!group || !['login', 'signup', 'change-password', 'username-only'].includes(group.kind))
      return;
    const now = performance.now();
    if (now - lastTrustedAction > RECENT_ACTION_MS) return;
    if (lastReported?.group === group && now - lastReported.at < 1_000) return; // click + submit
    const s: Submission = {
      group,
      username: group.username?.value.trim() ?? '',
      password: group.password?.value ?? '',
      newPassword: group.newPassword?.value ?? '',
    };
    if (!s.password && !s.newPassword && !s.username) return;
    lastReported = { group, at: now };
    onSubmit(s);
  };

  const onSubmitEvent = (e: Event) => {
    const form = e.composedPath()[0];
    if (!(form instanceof HTMLFormElement)) return;
    report(groupFor(form));
  };
  const onClick = (e: MouseEvent) => {
    if (!e.isTrusted) return;
    lastTrustedAction = performance.now();
    const target = e.composedPath()[0];
    if (!(target instanceof Element)) return;
    const button = target.closest(BUTTONISH);
    if (!button) return;
    report(groupFor(button));
  };
  const onKey = (e: KeyboardEvent) => {
    if (!e.isTrusted) return;
    lastTrustedAction = performance.now();
    if (e.key !== 'Enter') return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLInputElement) report(groupFor(target));
  };

  addEventListener('submit', onSubmitEvent, true);
  addEventListener('click', onClick, true);
  addEventListener('keydown', onKey, true);
  return () => {
    removeEventListener('submit', onSubmitEvent, true);
    removeEventListener('click', onClick, true);
    removeEventListener('keydown', onKey, true);
  };
}
