//! The passion match's stylesheet (adopted after the core sheet).

/// CSS of the passion match. Custom properties: `--km-passion-card-bg`
/// (default `--km-color-surface`), `--km-passion-shared` (default
/// `--km-color-accent`).
// The custom properties get their defaults once, on `.km-root` (not on
// `:host` as in shoelace: the `--c-*` tokens they default to are themed on
// `.km-root`), and every rule reads the resolved `--_*` copy.
pub const CSS: &str = r#"
.km-root { --_passion-card-bg: var(--km-passion-card-bg, var(--c-surface)); --_passion-shared: var(--km-passion-shared, var(--c-accent)); }
.pm-section + .pm-section { margin-top: var(--s4); }
.pm-cards { display: grid; gap: var(--s3); grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); list-style: none; padding: 0; margin: 0; }
.pm-card { display: block; border: 1px solid var(--c-border); border-radius: var(--r); padding: var(--s3); background: var(--_passion-card-bg); }
.pm-card h3 { margin-bottom: var(--s1); }
.pm-card .km-tags { margin-top: var(--s2); }
.pm-level { color: var(--c-muted); }
.pm-shared { border: 2px solid var(--_passion-shared); font-weight: 700; }
.pm-check { color: var(--_passion-shared); }
.pm-why { margin-top: var(--s2); font-style: italic; }
.pm-chat { margin-top: var(--s2); }
.pm-reason { margin-top: var(--s2); }
.pm-tag-button { all: unset; cursor: pointer; text-decoration: underline; text-underline-offset: 2px; }
.pm-tag-button:focus-visible { outline: 2px solid var(--c-focus); outline-offset: 2px; }
.pm-pairs { margin: var(--s2) 0 0; padding-left: 1.2em; }
.pm-details { margin-top: var(--s2); }
.pm-details summary { cursor: pointer; color: var(--c-accent); }
.pm-parts { display: grid; grid-template-columns: 1fr auto; gap: var(--s1) var(--s3); margin: var(--s2) 0 0; }
.pm-parts dd { margin: 0; font-variant-numeric: tabular-nums; text-align: right; }
.pm-hi { margin-top: var(--s3); }
.pm-hi-form textarea { width: 100%; }
.pm-actions { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s2); margin-top: var(--s2); }
.pm-actions .km-btn[aria-disabled="true"] { opacity: 0.6; cursor: progress; }
.pm-over { color: var(--c-danger); font-weight: 600; }
.pm-levels { list-style: none; padding: 0; margin: 0; display: grid; gap: var(--s2); }
.pm-level-row { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s2); justify-content: space-between; }
.pm-level-row select.km-input { width: auto; min-width: 12em; }
.pm-switch { display: flex; align-items: center; gap: var(--s2); }
.pm-switch input { width: 1.2em; height: 1.2em; margin: 0; accent-color: var(--c-accent); }
.pm-visibility { border: none; padding: 0; margin: 0 0 var(--s3); min-width: 0; }
.pm-visibility legend { padding: 0; }
.pm-radio { display: flex; align-items: center; gap: var(--s2); padding: var(--s1) 0; cursor: pointer; }
.pm-radio input { width: 1.1em; height: 1.1em; margin: 0; accent-color: var(--c-accent); }
.pm-confirm { margin-top: var(--s2); padding: var(--s3); border: 1px solid var(--c-danger); border-radius: var(--r); }
.pm-filter select.km-input { width: auto; min-width: 12em; }
.pm-intro + .pm-intro { margin-top: var(--s3); }
.pm-intro-title { font-weight: 600; }
"#;
