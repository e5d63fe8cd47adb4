// After a sign-in: the account hears of a device it never saw before (by mail, when SMTP_URL is
// set), the way most services warn of a new login. Sent after the answer is made, never
// awaited by it: a slow mail server does not slow a sign-in.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { Mailer } from './mailer.ts';

type WithoutFlag<T> = T extends unknown ? Omit<T, 'newDevice'> : never;

/** Drops the service's `newDevice` flag from a sign-in's answer, and sends the alert it asks for. */
export function afterSignIn<T extends object>(
  ctx: {
    db: Db;
    mailer: Mailer | null;
    ip: string;
    database: { asUser<R>(userId: string, fn: () => Promise<R>): Promise<R> };
  },
  result: T,
  device: { name: string },
): WithoutFlag<T> {
  if (!('userId' in result) || !('newDevice' in result)) return result as unknown as WithoutFlag<T>;
  const { newDevice, ...answer } = result as T & { userId: string; newDevice?: boolean };
  const mailer = ctx.mailer;
  if (newDevice && mailer)
    void (async () => {
      const [user] = await ctx.database.asUser(answer.userId, () =>
        ctx.db.select({ email: users.email }).from(users).where(eq(users.id, answer.userId)),
      );
      if (user)
        await mailer.newDevice({ to: user.email, device: device.name, ip: ctx.ip, at: new Date() });
    })().catch(() => {});
  return answer as unknown as WithoutFlag<T>;
}
