// The administrator's way into a running PGlite server: a Unix socket in the data directory
// (only the server's own user may open it, as only it may open the database files). The CLI
// sends one command as a JSON line and reads one answer line; the server runs it with its own
// database (the one process PGlite allows). Postgres needs none: the CLI opens the database.
import { chmod, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { AdminAnswer, AdminCommand } from './admin.ts';
import { OpsError } from './tables.ts';

const SOCKET_FILE = 'cofre-admin.sock';
const MAX_LINE = 64 * 1024;
/** Unix socket paths longer than this do not bind on Linux (108) or macOS (104). */
const MAX_PATH = 100;

export const adminSocketPath = (dataDir: string) => {
  const p = join(dataDir, SOCKET_FILE);
  return Buffer.byteLength(p) <= MAX_PATH && process.platform !== 'win32' ? p : null;
};

type Reply = { ok: true; answer: AdminAnswer } | { ok: false; message: string };

/** Reads one line (at most MAX_LINE bytes) from a socket. */
function readLine(socket: import('node:net').Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end));
      else if (buffer.length > MAX_LINE) reject(new Error('line too long'));
    });
    socket.once('end', () => reject(new Error('closed before a whole line')));
    socket.once('error', reject);
  });
}

export async function serveAdminSocket(
  dataDir: string,
  run: (command: unknown) => Promise<AdminAnswer>,
): Promise<{ close(): Promise<void> } | null> {
  const path = adminSocketPath(dataDir);
  if (!path) return null;
  // A socket file left by a crashed server: ours to replace (we hold the data-dir lock).
  await rm(path, { force: true });
  const server = createServer((socket) => {
    socket.setTimeout(30_000, () => socket.destroy());
    readLine(socket)
      .then(async (line) => {
        let reply: Reply;
        try {
          reply = { ok: true, answer: await run(JSON.parse(line)) };
        } catch (err) {
          reply = {
            ok: false,
            message:
              err instanceof OpsError || err instanceof SyntaxError
                ? err.message
                : 'the server could not run the command (see its log).',
          };
        }
        socket.end(`${JSON.stringify(reply)}\n`);
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  server.unref();
  return {
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await rm(path, { force: true });
    },
  };
}

/** Sends one command to the running server; its refusal comes back as an OpsError. */
export async function askAdminSocket(dataDir: string, command: AdminCommand): Promise<AdminAnswer> {
  const path = adminSocketPath(dataDir);
  if (!path)
    throw new OpsError(
      'DATA_DIR_IN_USE',
      'the server holds the data directory and its path is too long for an admin socket: stop the server to run this command.',
    );
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new OpsError(
          'DATA_DIR_IN_USE',
          `the running server does not answer on ${path} (${err.code ?? err.message}); is it an older version? Stop it to run this command.`,
        ),
      ),
    );
  });
  socket.write(`${JSON.stringify(command)}\n`);
  const reply = JSON.parse(await readLine(socket)) as Reply;
  socket.destroy();
  if (!reply.ok) throw new OpsError('BAD_ARGS', reply.message);
  return reply.answer;
}
