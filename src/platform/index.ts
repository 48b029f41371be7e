/**
 * src/platform: the host's real clock and randomness, injected into core by each entry point
 * (worker main.ts files, the page, Node scripts). Core never imports this folder.
 */
export * from './system-clock';
export * from './crypto-ids';
