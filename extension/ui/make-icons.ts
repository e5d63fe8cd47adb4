// Draws Cofre's toolbar and store icons (a white diamond on a rounded square, the logo of the
// pages) at every size Chrome asks for, plus a grey variant shown while the vault is locked.
// Run with `npm run icons`; the PNGs are committed in extension/public/icon/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128];
const VARIANTS: Record<string, [number, number, number]> = {
  '': [0x3b, 0x5b, 0xdb],
  locked: [0x86, 0x8e, 0x9c],
};

function crc32(buf: Buffer) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function png(size: number, rgba: Uint8Array) {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage of one point (unit square coordinates): 0 outside, 1 = background, 2 = diamond. */
function shape(x: number, y: number) {
  const r = 0.22;
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  if (dx * dx + dy * dy > r * r) return 0;
  return Math.abs(x - 0.5) + Math.abs(y - 0.5) < 0.27 ? 2 : 1;
}

function draw(size: number, [r, g, b]: readonly [number, number, number]) {
  const out = new Uint8Array(size * size * 4);
  const n = 4; // 4×4 samples a pixel
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const s = shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (s === 1) bg++;
          else if (s === 2) fg++;
        }
      const cover = (bg + fg) / (n * n);
      const white = fg / Math.max(1, bg + fg);
      const i = (py * size + px) * 4;
      out[i] = Math.round(r + (255 - r) * white);
      out[i + 1] = Math.round(g + (255 - g) * white);
      out[i + 2] = Math.round(b + (255 - b) * white);
      out[i + 3] = Math.round(255 * cover);
    }
  return out;
}

const dir = new URL('../public/icon/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [variant, color] of Object.entries(VARIANTS))
  for (const size of SIZES)
    writeFileSync(
      new URL(`${variant ? `${variant}-` : ''}${size}.png`, dir),
      png(size, draw(size, color)),
    );
