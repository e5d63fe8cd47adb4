// Optional e-mail (SMTP_URL): invitations with their sign-up code, and an alert to the account
// when a new device signs in. Sending never decides a request: a mail server that is down or
// slow is logged and counted, and the request goes on (the code is shown in the app anyway).
// Mails are plain text; nothing secret goes in them but the invitation code they exist to carry.
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { oneLine } from './plain-text.ts';

export interface Mailer {
  /** An invitation to create an account (the administrator's, or with a shared vault). */
  invitation(m: {
    to: string;
    /** The sign-up code (null: the server takes sign-ups without one). */
    code: string | null;
    expiresAt: string | null;
    /** The inviting member's email, for a shared vault's invitation (null: the administrator). */
    from: string | null;
  }): Promise<boolean>;
  /** A new device signed in to the account. */
  newDevice(m: { to: string; device: string; ip: string; at: Date }): Promise<boolean>;
  close(): void;
}

export interface MailerOptions {
  url: string;
  from: string;
  /** The address people give their extension, named in the mails (unset: not named). */
  publicUrl: string | undefined;
  logger: Logger;
  onSent?: (kind: 'invitation' | 'new-device', ok: boolean) => void;
}

export function createMailer(opts: MailerOptions): Mailer {
  const transport = nodemailer.createTransport({
    url: opts.url,
    // A mail server that hangs must not hold a request or a shutdown for long.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const log = opts.logger.child({ component: 'mail' });
  const where = opts.publicUrl ? ` (${opts.publicUrl})` : '';

  async function send(
    kind: 'invitation' | 'new-device',
    to: string,
    subject: string,
    text: string,
  ) {
    try {
      await transport.sendMail({ from: opts.from, to, subject, text });
      opts.onSent?.(kind, true);
      return true;
    } catch (err) {
      // The error's text can name the SMTP server's answer, never the URL's password.
      log.warn(
        { kind, err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        'mail not sent',
      );
      opts.onSent?.(kind, false);
      return false;
    }
  }

  return {
    invitation: ({ to, code, expiresAt, from }) =>
      send(
        'invitation',
        to,
        from ? `${oneLine(from)} invited you to Cofre` : 'Your invitation to Cofre',
        [
          from
            ? `${oneLine(from)} shared a vault with you on a Cofre server${where}.`
            : `You are invited to create an account on a Cofre server${where}.`,
          ...(code
            ? [
                '',
                'If you have no account on it yet, create one in the Cofre extension with this invitation code:',
                '',
                `    ${code}`,
                '',
                `It works once, for ${to}, until ${new Date(expiresAt ?? 0).toUTCString()}.`,
              ]
            : [
                '',
                `If you have no account on it yet, create one in the Cofre extension with ${to}.`,
              ]),
          ...(from
            ? [
                '',
                `Then open the vault's invitation in Cofre, and compare safety numbers with ${oneLine(from)} before they confirm you.`,
              ]
            : []),
          '',
          'If you did not expect this, ignore this mail.',
        ].join('\n'),
      ),
    newDevice: ({ to, device, ip, at }) =>
      send(
        'new-device',
        to,
        'New sign-in to your Cofre account',
        [
          `A device signed in to your Cofre account${where}:`,
          '',
          `    device   ${oneLine(device)}`,
          `    address  ${oneLine(ip)}`,
          `    time     ${at.toUTCString()}`,
          '',
          'If this was you, there is nothing to do.',
          'If it was not, someone knows your master password: change it in Cofre (Settings → Master password),',
          'which signs every other device out, and turn on two-step sign-in.',
        ].join('\n'),
      ),
    close: () => transport.close(),
  };
}
