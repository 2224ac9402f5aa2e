/**
 * The probe the dashboard benchmark installs in the page before its scripts run: a
 * `requestAnimationFrame` loop that records frame intervals, a `longtask` PerformanceObserver,
 * and the time the page first showed "connected" with the expected row count. The code is a string because
 * the benchmarks type-check without the DOM library.
 */

/** The probe's record of one measurement window. */
export interface PageWindow {
  /** Intervals between consecutive animation frames, in milliseconds. */
  readonly frameIntervalsMs: number[];
  /** Durations of the long tasks (over 50 ms, as Chromium defines them), in milliseconds. */
  readonly longTasksMs: number[];
  /** `performance.now()` of the first frame that is connected with every row, or null. */
  readonly fullTableAtMs: number | null;
  readonly rows: number;
}

/** Installs the probe; `expectedRows` sets when the table counts as full. */
export function probeScript(expectedRows: number): string {
  return `(() => {
    const probe = { frames: [], longTasks: [], fullTableAtMs: null, last: null };
    window.__benchProbe = probe;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
    const onFrame = (time) => {
      if (probe.last !== null) probe.frames.push(time - probe.last);
      probe.last = time;
      const rows = Number(document.body.dataset.tasks ?? 0);
      const state = document.getElementById('connection')?.dataset.state;
      if (probe.fullTableAtMs === null && state === 'connected' && rows >= ${expectedRows}) {
        probe.fullTableAtMs = performance.now();
      }
      requestAnimationFrame(onFrame);
    };
    requestAnimationFrame(onFrame);
  })()`;
}

/** Returns the window recorded since the last call and starts a new one. */
export const TAKE_WINDOW = `(() => {
  const probe = window.__benchProbe;
  const taken = {
    frameIntervalsMs: probe.frames.splice(0),
    longTasksMs: probe.longTasks.splice(0),
    fullTableAtMs: probe.fullTableAtMs,
    rows: Number(document.body.dataset.tasks ?? 0),
  };
  return taken;
})()`;
