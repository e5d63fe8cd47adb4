// Draws Cofre's toolbar and store icons (a white diamond on a rounded square, the logo of the
// pages) at every size Chrome asks for, plus a grey variant shown while the vault is locked.
// Run with `npm run icons`; the PNGs are committed in extension/public/icon/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { png } from './png.ts';

const SIZES = [16, 32, 48, 128];
const VARIANTS: Record<string, [number, number, number]> = {
  '': [0x3b, 0x5b, 0xdb],
  locked: [0x86, 0x8e, 0x9c],
};

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
