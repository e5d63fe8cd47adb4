import { createServer } from 'node:http';
import { solidPng } from '../../extension/ui/png.ts';
import { launchExtension } from './extension.ts';

const asked: string[] = [];
const site = createServer((req, res) => {
  asked.push(req.url ?? '');
  if (req.url === '/shop.png') {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(solidPng(32, [220, 20, 20]));
  } else {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Shop</title><link rel="icon" href="/shop.png"><h1>Shop</h1>');
  }
});
await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
const shop = `http://127.0.0.1:${(site.address() as { port: number }).port}/login`;
const a = await launchExtension();
const tab = await a.context.newPage();
await tab.goto(shop);
await new Promise((r) => setTimeout(r, 1000));
const tab2 = await a.context.newPage();
await tab2.goto(new URL('/', shop).href);
const p = await a.context.newPage();
await p.goto(`chrome-extension://${a.extensionId}/vault.html`);
for (let i = 0; i < 10; i++) {
  for (const u of [shop, new URL(shop).origin + '/', new URL(shop).origin]) {
    const r = await p.evaluate(async (u) => {
      const url = new URL((globalThis as any).chrome.runtime.getURL('/_favicon/'));
      url.searchParams.set('pageUrl', u);
      url.searchParams.set('size', '32');
      try {
        const res = await fetch(url.href);
        const b = await res.arrayBuffer();
        return `${res.status} ${b.byteLength}`;
      } catch (e) {
        return String(e);
      }
    }, u);
    console.log(i, u, r);
  }
  await new Promise((r) => setTimeout(r, 1000));
}
console.log(asked);
await a.close();
site.close();
