// HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM: how a vault
// key is sealed to a member's public key (SHARING.md §1, §3).
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { concatBytes, own, utf8 } from '../crypto/bytes.ts';

export const hpke = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});

const ENC = 32;

/** [enc 32 B][ciphertext] of `plain` sealed to `recipient` (32-byte X25519 public key). */
export async function sealTo(recipient: Uint8Array, plain: Uint8Array, info: string) {
  const recipientPublicKey = await hpke.kem.deserializePublicKey(own(recipient).buffer);
  const { ct, enc } = await hpke.seal(
    { recipientPublicKey, info: own(utf8(info)).buffer },
    own(plain).buffer,
  );
  return concatBytes(new Uint8Array(enc), new Uint8Array(ct));
}

/** Opens what `sealTo` made; throws when it was not sealed to this key for this `info`. */
export async function openFrom(recipientKey: CryptoKey, sealed: Uint8Array, info: string) {
  if (sealed.byteLength <= ENC) throw new Error('too short');
  const plain = await hpke.open(
    {
      recipientKey,
      enc: own(sealed.subarray(0, ENC)).buffer,
      info: own(utf8(info)).buffer,
    },
    own(sealed.subarray(ENC)).buffer,
  );
  return new Uint8Array(plain);
}
