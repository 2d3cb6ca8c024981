//! The story board's stylesheet (adopted after the core sheet), with the
//! print stylesheet of the one-page goal summary.

/// CSS of the story board. Custom properties: `--km-story-card-bg`
/// (default `--km-color-surface`), `--km-story-better` (default
/// `--km-color-success`), `--km-story-worse` (default `--km-color-danger`),
/// `--km-story-bar` (chart bars, default `--km-color-accent`),
/// `--km-story-featured` (featured cards' border, default `--km-color-accent`).
// The custom properties get their defaults once, on `.km-root` (not on
// `:host` as in shoelace: the `--c-*` tokens they default to are themed on
// `.km-root`), and every rule reads the resolved `--_*` copy.
pub const CSS: &str = r#"
.km-root { --_story-card-bg: var(--km-story-card-bg, var(--c-surface)); --_story-featured: var(--km-story-featured, var(--c-accent)); --_story-better: var(--km-story-better, var(--c-success)); --_story-worse: var(--km-story-worse, var(--c-danger)); --_story-bar: var(--km-story-bar, var(--c-accent)); }
.sb-tabs { display: flex; flex-wrap: wrap; gap: var(--s1); }
.sb-tab[aria-pressed="true"] { background: var(--c-accent); color: var(--c-accent-text); }
.sb-toolbar { display: flex; flex-wrap: wrap; gap: var(--s2) var(--s3); align-items: flex-end; margin-bottom: var(--s3); }
.sb-control { flex: 1 1 9em; min-width: 8em; }
.sb-control .km-label { font-size: 0.9em; }
.sb-group-title { margin: var(--s3) 0 var(--s2); }
.sb-cards { display: grid; gap: var(--s3); grid-template-columns: repeat(auto-fill, minmax(min(100%, 18em), 1fr)); }
.sb-card { display: block; border: 1px solid var(--c-border); border-radius: var(--r); padding: var(--s3); background: var(--_story-card-bg); }
.sb-featured { border: 2px solid var(--_story-featured); }
.sb-card .km-badge { margin-bottom: var(--s1); margin-inline-end: var(--s1); }
.sb-card h3 { margin-bottom: var(--s1); }
.sb-meta { margin-bottom: var(--s2); }
.sb-metrics { display: block; margin: var(--s2) 0; }
.sb-metric { display: block; padding: var(--s1) 0; }
.sb-metric dt { font-weight: 600; }
.sb-metric dd { margin: 0; display: flex; flex-wrap: wrap; gap: var(--s2); align-items: center; }
.sb-better { border-color: var(--_story-better); color: var(--_story-better); font-weight: 700; }
.sb-worse { border-color: var(--_story-worse); color: var(--_story-worse); font-weight: 700; }
.sb-text { margin: var(--s2) 0; }
.sb-quote { margin: var(--s2) 0; padding-inline-start: var(--s2); border-inline-start: 3px solid var(--c-border); font-style: italic; }
.sb-foot { display: flex; justify-content: space-between; gap: var(--s2); flex-wrap: wrap; margin-top: var(--s2); }
.sb-actions { display: flex; flex-wrap: wrap; gap: var(--s2); margin-top: var(--s2); }
.sb-applause[aria-pressed="true"] { background: var(--c-accent); color: var(--c-accent-text); }
.sb-goal { border: 1px solid var(--c-border); border-radius: var(--r); padding: var(--s3); margin-bottom: var(--s3); }
.sb-goal-head { display: flex; flex-wrap: wrap; gap: var(--s2); align-items: baseline; justify-content: space-between; margin-bottom: var(--s2); }
.sb-headlines { margin-top: var(--s2); }
.sb-headlines li { padding: var(--s1) 0; }
.sb-table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
.sb-table th, .sb-table td { text-align: start; padding: var(--s1) var(--s2); border-bottom: 1px solid var(--c-border); }
.sb-table td { font-variant-numeric: tabular-nums; }
.sb-chart { margin: var(--s3) 0; }
.sb-chart figcaption { font-weight: 600; margin-bottom: var(--s1); }
.sb-svg { display: block; width: 100%; height: auto; }
.sb-bar { fill: var(--_story-bar); }
.sb-bar-worse { fill: var(--_story-worse); }
.sb-zero { stroke: var(--c-border); stroke-width: 1; }
.sb-axis { fill: var(--c-text); font-size: 12px; }
.sb-data summary { cursor: pointer; color: var(--c-accent); margin-top: var(--s1); }
.sb-print-only { display: none; }
.sb-form-title { margin-bottom: var(--s3); }
.sb-row { display: grid; gap: 0 var(--s3); grid-template-columns: repeat(auto-fit, minmax(min(100%, 14em), 1fr)); }
.sb-metrics-field, .sb-metric-row { border: 1px solid var(--c-border); border-radius: var(--r); padding: var(--s2) var(--s3); margin: 0 0 var(--s3); min-width: 0; }
.sb-metric-row { display: grid; gap: 0 var(--s2); grid-template-columns: repeat(auto-fit, minmax(min(100%, 9em), 1fr)); align-items: end; }
.sb-metric-row legend { font-weight: 600; padding: 0 var(--s1); }
.sb-metric-row .sb-remove { justify-self: start; margin-bottom: var(--s3); }
.sb-form-actions { display: flex; flex-wrap: wrap; gap: var(--s2); align-items: center; }
.sb-form-actions .km-btn[aria-disabled="true"] { opacity: 0.6; cursor: progress; }
.sb-form .km-status, .sb-form .km-note, .sb-form .km-error { margin-top: var(--s2); }
.sb-ticker { display: flex; flex-wrap: wrap; gap: var(--s1) var(--s3); align-items: center; }
.sb-ticker-label { flex-basis: 100%; text-transform: uppercase; letter-spacing: 0.04em; font-size: 0.8em; }
.sb-ticker-item { flex: 1 1 16em; min-width: 0; }
.sb-ticker-title { font-weight: 700; }
@media (prefers-reduced-motion: no-preference) {
  .sb-ticker-item { animation: sb-fade 0.4s ease-out; }
}
@keyframes sb-fade { from { opacity: 0.3; } to { opacity: 1; } }
@media print {
  .km-root { border: none; padding: 0; color: #000; background: #fff; }
  .sb-noprint, .sb-data, .sb-actions, .km-btn { display: none !important; }
  .sb-printing > :not(.sb-print-target) { display: none !important; }
  .sb-print-target { border: none; padding: 0; break-inside: avoid; }
  .sb-print-target .sb-print-only { display: inline; }
  .sb-card, .sb-goal, .sb-chart { break-inside: avoid; }
  .sb-bar { fill: #333; }
}
"#;
