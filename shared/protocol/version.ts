// Wire protocol version. Changelog:
// 1 — account, sessions, passkeys and sync procedures as in PROTOCOL.md (plain JSON, base64url).
export const PROTOCOL_VERSION = 1;
