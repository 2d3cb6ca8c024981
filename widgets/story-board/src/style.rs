//! The story board's stylesheet (adopted after the core sheet).

/// CSS of the story board. Custom properties: `--km-story-card-bg`,
/// `--km-story-better`, `--km-story-worse`.
pub const CSS: &str = r#"
.sb-cards { display: grid; gap: var(--s3); grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); }
.sb-card { display: block; border: 1px solid var(--c-border); border-radius: var(--r); padding: var(--s3); background: var(--km-story-card-bg, var(--c-surface)); }
.sb-card h3 { margin-bottom: var(--s1); }
.sb-meta { margin-bottom: var(--s2); }
.sb-metrics { display: block; margin: var(--s2) 0; }
.sb-metric { display: block; padding: var(--s1) 0; }
.sb-metric dt { font-weight: 600; }
.sb-metric dd { margin: 0; display: flex; flex-wrap: wrap; gap: var(--s2); align-items: center; }
.sb-better { border-color: var(--km-story-better, var(--c-success)); color: var(--km-story-better, var(--c-success)); font-weight: 700; }
.sb-worse { border-color: var(--km-story-worse, var(--c-danger)); color: var(--km-story-worse, var(--c-danger)); font-weight: 700; }
.sb-foot { display: flex; justify-content: space-between; gap: var(--s2); flex-wrap: wrap; margin-top: var(--s2); }
"#;
