// A real SMTP server in the test process (npm smtp-server) that keeps every mail it is given, so
// tests read what Cofre sent over SMTP: recipient, subject, and the text body.
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SentMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** The text of a quoted-printable or 7/8-bit body, and its Subject (RFC 2047 words decoded). */
function parse(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  if (/^content-transfer-encoding:\s*quoted-printable/im.test(head))
    body = Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  else if (/^content-transfer-encoding:\s*base64/im.test(head))
    body = Buffer.from(body, 'base64').toString('utf8');
  const subject = (/^subject:\s*(.*)$/im.exec(head)?.[1] ?? '').replace(
    /=\?utf-8\?([QB])\?([^?]*)\?=/gi,
    (_, enc: string, word: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(word, 'base64').toString('utf8')
        : Buffer.from(
            word
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (__, h: string) =>
                String.fromCharCode(Number.parseInt(h, 16)),
              ),
            'latin1',
          ).toString('utf8'),
  );
  return { subject, text: body.replace(/\r\n/g, '\n').trim() };
}

export async function startSmtpSink() {
  const mails: SentMail[] = [];
  const events = new EventEmitter();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parse(Buffer.concat(chunks).toString('latin1')),
        };
        mails.push(mail);
        events.emit('mail', mail);
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** Resolves with the first mail (already here or still to come) that `match` accepts. */
    async next(match: (m: SentMail) => boolean): Promise<SentMail> {
      const here = mails.find(match);
      if (here) return here;
      return new Promise((resolve) => {
        const on = (m: SentMail) => {
          if (!match(m)) return;
          events.off('mail', on);
          resolve(m);
        };
        events.on('mail', on);
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
