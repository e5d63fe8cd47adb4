// Worker → content script messages, checked on arrival. zod's "mini" build: this runs in
// every frame of every page, where the full library would be most of the script's size.
import * as z from 'zod/mini';

/** Worker → content script. */
export const toContentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('cofre:fill'),
    /** linked: another frame of the origin a person chose a card in (a provider's fields). */
    source: z.enum(['menu', 'popup', 'command', 'linked']),
    /** For a fill from the inline menu: the menu it came from (checked for clickjacking). */
    menuToken: z.nullable(z.string().check(z.maxLength(64))),
    username: z.nullable(z.string().check(z.maxLength(1_000))),
    password: z.nullable(z.string().check(z.maxLength(10_000))),
    otp: z.nullable(z.string().check(z.regex(/^\d{4,10}$/))),
    /** A generated password for the new-password field and its confirmation. */
    newPassword: z.optional(z.nullable(z.string().check(z.maxLength(1_000)))),
    /** A card's or identity's values by autofill token (cc-number, given-name, …). */
    values: z.optional(
      z.record(z.string().check(z.regex(/^[a-z0-9-]{1,40}$/)), z.string().check(z.maxLength(500))),
    ),
  }),
  z.object({ type: z.literal('cofre:location') }),
  z.object({ type: z.literal('cofre:announce') }),
  z.object({ type: z.literal('cofre:openMenu') }),
  z.object({ type: z.literal('cofre:showPrompt'), token: z.string().check(z.maxLength(64)) }),
  z.object({ type: z.literal('cofre:closePrompt') }),
  z.object({ type: z.literal('cofre:closeMenu') }),
  /** Top frame: draw the menu of a subframe's field at `rect` (this frame's viewport). */
  z.object({
    type: z.literal('cofre:showMenu'),
    token: z.string().check(z.maxLength(64)),
    rows: z.number().check(z.int(), z.minimum(0), z.maximum(1_000)),
    rect: z.object({ left: z.number(), top: z.number(), width: z.number(), height: z.number() }),
    /** The locate nonce of the last hop (this frame knows which iframe element it was). */
    via: z.string().check(z.maxLength(64)),
  }),
  /** Subframe: the top frame drew your menu (no local one needed). */
  z.object({ type: z.literal('cofre:menuPlaced'), token: z.string().check(z.maxLength(64)) }),
  /** Top frame: may a click in the menu you drew count now? Answers { reason }. */
  z.object({ type: z.literal('cofre:menuSafe'), token: z.string().check(z.maxLength(64)) }),
]);
export type ToContent = z.infer<typeof toContentSchema>;
