// The whole API: the AppRouter type is all the extension imports from the server.
import { router } from './init.ts';
import { accountRouter } from './routers/account.ts';
import { passkeysRouter } from './routers/passkeys.ts';
import { recoveryRouter } from './routers/recovery.ts';
import { sessionsRouter } from './routers/sessions.ts';
import { identityRouter, invitationsRouter, vaultsRouter } from './routers/sharing.ts';
import { syncRouter } from './routers/sync.ts';
import { twoFactorRouter } from './routers/two-factor.ts';

export const appRouter = router({
  account: accountRouter,
  sessions: sessionsRouter,
  passkeys: passkeysRouter,
  recovery: recoveryRouter,
  twoFactor: twoFactorRouter,
  sync: syncRouter,
  identity: identityRouter,
  vaults: vaultsRouter,
  invitations: invitationsRouter,
});

export type AppRouter = typeof appRouter;
