// Ends a bench process once its figures are printed: Playwright, tRPC clients and keep-alive
// sockets leave handles open that would otherwise keep Node running.
export function endBench(code = 0): never {
  const quit = process.exit.bind(process);
  return quit(code);
}
