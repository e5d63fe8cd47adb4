// In-app questions and notices: a modal confirmation for anything destructive (a real <dialog>
// in the top layer: focus is trapped, Escape cancels, focus returns to what opened it), and a
// toast with an Undo for actions that can be taken back.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useT } from './i18n.ts';

export interface Question {
  title: string;
  body?: ReactNode;
  confirm: string;
  /** A red confirm button: the action deletes or ends something. */
  danger?: boolean;
  /** The way out, when "Cancel" would not say it ("Keep editing"). */
  cancel?: string;
  /** Asks for a text (a folder's name): the answer is what was typed. */
  input?: { label: string; value?: string };
}

/** The answer: false (cancelled), true (confirmed), or the text typed when `input` was given. */
export type Answer = boolean | string;

/**
 * `const [dialog, ask] = useConfirm()`: render `dialog`, then `if (await ask({...}))`. The
 * promise says false on Cancel, Escape or a click outside.
 */
export function useConfirm(): [ReactNode, (q: Question) => Promise<Answer>] {
  const [open, setOpen] = useState<{ q: Question; answer: (yes: Answer) => void } | null>(null);
  const ask = useCallback(
    (q: Question) =>
      new Promise<Answer>((resolve) => {
        const opener = document.activeElement as HTMLElement | null;
        setOpen({
          q,
          answer: (yes) => {
            setOpen(null);
            resolve(yes);
            // The opener may be gone (the item it acted on was deleted): then the caller moves
            // focus on its own.
            if (opener?.isConnected) opener.focus();
          },
        });
      }),
    [],
  );
  return [open ? <ConfirmDialog key="confirm" q={open.q} answer={open.answer} /> : null, ask];
}

function ConfirmDialog({ q, answer }: { q: Question; answer: (yes: Answer) => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState(q.input?.value ?? '');
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const confirm = () => {
    if (!q.input) return answer(true);
    if (text.trim()) answer(text.trim());
  };
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby="confirm-title"
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        answer(false);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          confirm();
        }}
      >
        <h2 id="confirm-title">{q.title}</h2>
        {q.body && <div className="modal-body">{q.body}</div>}
        {q.input && (
          <label>
            {q.input.label}
            <input
              name="dialog-input"
              autoFocus
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
        )}
        <div className="row modal-actions">
          {/* Cancel first and focused: Enter on a surprise dialog must not destroy anything. */}
          <button type="button" autoFocus={!q.input} onClick={() => answer(false)}>
            {q.cancel ?? t('Cancel')}
          </button>
          <button
            type="submit"
            className={q.danger ? 'danger solid' : 'primary'}
            disabled={!!q.input && !text.trim()}
          >
            {q.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export interface Toast {
  text: string;
  undo?: () => unknown;
}

/** A polite notice at the bottom of the page, with an optional Undo; gone after 8 s. */
export function useToast(): [ReactNode, (t: Toast) => void] {
  const [toast, setToast] = useState<(Toast & { n: number }) | null>(null);
  const counter = useRef(0);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 8_000);
    return () => clearTimeout(timer);
  }, [toast]);
  const show = useCallback((t: Toast) => setToast({ ...t, n: ++counter.current }), []);
  return [<ToastView key="toast" toast={toast} close={() => setToast(null)} />, show];
}

function ToastView({ toast, close }: { toast: Toast | null; close: () => void }) {
  const t = useT();
  // The live region stays in the page so screen readers announce what is put in it.
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className="toast" data-testid="toast">
          <span>{toast.text}</span>
          {toast.undo && (
            <button
              type="button"
              className="link"
              onClick={() => {
                close();
                void toast.undo?.();
              }}
            >
              {t('Undo')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
