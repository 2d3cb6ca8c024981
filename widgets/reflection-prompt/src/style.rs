//! The reflection prompt's stylesheet (adopted after the core sheet).

/// CSS of the reflection prompt. Custom properties: `--km-reflection-prompt-bg`
/// (default `--km-color-surface`), `--km-reflection-stage` (default
/// `--km-color-accent`).
// The custom properties get their defaults once, on `.km-root` (not on
// `:host` as in shoelace: the `--c-*` tokens they default to are themed on
// `.km-root`), and every rule reads the resolved `--_*` copy.
pub const CSS: &str = r#"
.km-root { --_reflection-prompt-bg: var(--km-reflection-prompt-bg, var(--c-surface)); --_reflection-stage: var(--km-reflection-stage, var(--c-accent)); }
.rp-prompt { padding: var(--s3); border-radius: var(--r); background: var(--_reflection-prompt-bg); margin-bottom: var(--s3); }
.rp-stage { border-color: var(--_reflection-stage); color: var(--_reflection-stage); font-weight: 600; }
.rp-prompt-text { font-size: 1.15em; line-height: 1.4; margin-top: var(--s2); }
.rp-prompt .km-status { margin-top: var(--s2); }
.rp-visibility { border: none; padding: 0; margin: 0 0 var(--s3); min-width: 0; }
.rp-visibility legend { padding: 0; }
.rp-radio { display: flex; align-items: center; gap: var(--s2); padding: var(--s1) 0; cursor: pointer; }
.rp-radio input { width: 1.1em; height: 1.1em; margin: 0; accent-color: var(--c-accent); }
.km-field select.km-input { width: auto; min-width: 10em; }
.km-field select.km-input + .km-muted { margin-top: var(--s1); }
.rp-actions .km-btn[aria-disabled="true"] { opacity: 0.6; cursor: progress; }
.rp-actions { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s2); }
.rp-saved { margin-top: var(--s3); padding: var(--s3); border: 1px solid var(--c-success); border-radius: var(--r); }
.rp-saved h3 { margin-bottom: var(--s2); }
.rp-saved .km-muted { margin-top: var(--s2); }
.rp-form .km-note, .rp-form .km-error { margin-top: var(--s2); }
.rp-due { color: var(--_reflection-stage); }
.rp-prompt .km-btn-link { margin-top: var(--s2); }
.rp-rhythm { margin-bottom: var(--s3); }
.rp-rhythm summary { cursor: pointer; color: var(--c-accent); }
.rp-rhythm form { padding: var(--s2) 0; }
.rp-card { padding: var(--s3) 0; }
.rp-card .km-tags { margin-top: var(--s2); }
.rp-card .rp-actions, .rp-saved .rp-actions { margin-top: var(--s2); }
.rp-author { font-weight: 600; color: var(--c-text); }
.rp-reaction[aria-pressed="true"] { background: var(--c-accent); color: var(--c-accent-text); }
.rp-count { font-variant-numeric: tabular-nums; }
.rp-journal-tools { margin-top: var(--s3); }
.rp-danger { color: var(--c-danger); border-color: var(--c-danger); }
.rp-danger-fill { background: var(--c-danger); border-color: var(--c-danger); color: #fff; }
.rp-confirm { margin-top: var(--s3); padding: var(--s3); border: 1px solid var(--c-danger); border-radius: var(--r); }
"#;
