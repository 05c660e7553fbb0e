// Headless Chromium on a closed network: no GPU, no sandbox (tests run as root) and none of its own
// background connections, which this machine refuses many at a time.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
