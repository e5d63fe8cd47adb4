// Background service worker. It will own the vault session and sync; for now it only exists so
// the extension loads and its id can be observed.
import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground(() => {});
