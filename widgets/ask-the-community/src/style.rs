//! Ask the community's stylesheet (adopted after the core sheet).

/// CSS of ask the community. Custom properties: `--km-question-urgent`
/// (default `--km-color-danger`), `--km-question-solved` (default
/// `--km-color-success`).
pub const CSS: &str = r#"
.ac-list > li { padding: var(--s3) 0; }
.ac-list > li:first-child { padding-top: 0; }
.ac-card h3 { margin-bottom: var(--s1); }
.ac-badges { display: flex; flex-wrap: wrap; gap: var(--s1); margin-bottom: var(--s1); }
.ac-urgent { border-color: var(--km-question-urgent, var(--c-danger)); color: var(--km-question-urgent, var(--c-danger)); font-weight: 700; }
.ac-solved { border-color: var(--km-question-solved, var(--c-success)); color: var(--km-question-solved, var(--c-success)); font-weight: 700; }
.ac-card .km-tags { margin: var(--s1) 0; }
.ac-meta { display: flex; flex-wrap: wrap; gap: var(--s1) var(--s2); }
.ac-meta time { font-size: inherit; }
.ac-answers { font-weight: 600; color: var(--c-text); }
"#;
