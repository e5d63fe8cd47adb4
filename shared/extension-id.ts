// The extension's identity. The manifest `key` pins the extension id, and passkeys are bound to
// that id (rpId), so the id must never change between builds or machines.

/** Base64 DER SubjectPublicKeyInfo put in manifest.json `key`. Public by design. */
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxQdm8xyF1aHwncLfufVnzuHKmvmDQtRkZCQT4pC3ZwcAH35g1+g0a9Hm8djOOJ72axma6HprIwnfHRaeWEkhMowyI6u7nxWBGA7vd5aeNvZX6HfW0Rq43AklfF/vibMvEPTyi0IedaJ10nXpUeYV5xT7Da5ndONUEmD51I9h/FlJ0D2H334DwKNrsxIB7PBWFivVNEaRj2Kkdy5Dl6mcWE/NiXbHbrqohwtUJ9N1snOwVQczSGoZoyjALwBdnJDSz2nvxTlZ5zacKsWV2XBAwTcwDEHIpnE8CavgBvx62FdH/MHyj1SjGTqPjwYrcZ/d6RXfiBX/8xxzC4licec2hQIDAQAB';

/** Chrome's id for that key: the first 128 bits of SHA-256(DER) written with the letters a–p. */
export const EXTENSION_ID = 'kdeebdkhpkohiliajdeenhpbebcijapp';

export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;
