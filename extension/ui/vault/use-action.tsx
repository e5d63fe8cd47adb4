// A form action's outcome shown beside it: a status line on success, an alert on failure.
import { useState } from 'react';
import { messageOf } from '../api.ts';

export function useAction() {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setMsg(null);
    try {
      await fn();
      setMsg({ ok: true, text: ok });
    } catch (e) {
      setMsg({ ok: false, text: messageOf(e) });
    }
  };
  const view = msg && (
    <p className={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>
      {msg.text}
    </p>
  );
  return [run, view] as const;
}
