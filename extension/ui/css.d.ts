// Stylesheets are bundled by Vite (WXT).
declare module '*.css';
