//! The passion match's stylesheet (adopted after the core sheet).

/// CSS of the passion match. Custom properties: `--km-passion-card-bg`
/// (default `--km-color-surface`), `--km-passion-shared` (default
/// `--km-color-accent`).
pub const CSS: &str = r#"
.pm-section + .pm-section { margin-top: var(--s4); }
.pm-cards { display: grid; gap: var(--s3); grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); }
.pm-card { display: block; border: 1px solid var(--c-border); border-radius: var(--r); padding: var(--s3); background: var(--km-passion-card-bg, var(--c-surface)); }
.pm-card h3 { margin-bottom: var(--s1); }
.pm-card .km-tags { margin-top: var(--s2); }
.pm-level { color: var(--c-muted); }
.pm-shared { border: 2px solid var(--km-passion-shared, var(--c-accent)); font-weight: 700; }
.pm-check { color: var(--km-passion-shared, var(--c-accent)); }
.pm-why { margin-top: var(--s2); font-style: italic; }
.pm-chat { margin-top: var(--s2); }
"#;
