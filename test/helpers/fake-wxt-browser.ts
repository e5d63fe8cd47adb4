// `wxt/browser` for the worker's modules run in Node (vitest alias): WXT's in-memory fake of
// the extension APIs (storage local and session, alarms, runtime messaging).
export { fakeBrowser as browser } from 'wxt/testing/fake-browser';
