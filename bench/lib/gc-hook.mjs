// Loaded with `node --expose-gc --import` into every server the benchmark runs,
// Confab and the peers alike, so that memory is read the same way for each:
// on SIGUSR2, two full collections, then one JSON line with the RSS on stdout.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const memory = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ msg: 'bench gc', rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external })}\n`,
  );
});
