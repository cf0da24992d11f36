// Preloaded into each engine process of a soak run (NODE_OPTIONS=--require): reports the event
// loop's delay (p99 and max over the last period, ms) to the parent through the fork's IPC channel.
// The engine exposes no such metric itself; this keeps the soak from needing one.
const { monitorEventLoopDelay } = require('node:perf_hooks');

if (typeof process.send === 'function') {
  const h = monitorEventLoopDelay({ resolution: 20 });
  h.enable();
  const timer = setInterval(() => {
    try {
      process.send({ soakLag: { p99: h.percentile(99) / 1e6, max: h.max / 1e6 } });
    } catch {
      /* parent gone */
    }
    h.reset();
  }, 5000);
  timer.unref();
}
