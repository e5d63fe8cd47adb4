// The name the page hook and the relay tag their window messages with (no imports: the page
// hook runs in the page's own world and carries nothing it does not need).
export const CHANNEL = 'cofre-webauthn';

/** How the page hook and the relay talk on the page's window (untrusted, like the page). */
export type ChannelMessage =
  | { channel: typeof CHANNEL; kind: 'create'; request: string; options: unknown }
  | {
      channel: typeof CHANNEL;
      kind: 'get';
      request: string;
      options: unknown;
      conditional: boolean;
    }
  | { channel: typeof CHANNEL; kind: 'cancel'; request: string }
  | { channel: typeof CHANNEL; kind: 'answer'; request: string; answer: unknown };
