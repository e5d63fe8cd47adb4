// Regression: a browser's speculative connection (opened, no request sent) held the server's
// shutdown for Node's 60 s header timeout, so stopping a server took a minute.
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startTestServer } from '../helpers/test-server.ts';

it('should shut down at once while a client holds a connection it never used', async () => {
  const ts = await startTestServer();
  const { port } = new URL(ts.url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const closedByServer = new Promise((resolve) => socket.once('close', resolve));
  // Without the fix this close takes ~60 s and the test's 15 s limit fails it.
  await ts.close();
  await closedByServer;
  expect(socket.destroyed).toBe(true);
}, 15_000);
