//! Ask the community's stylesheet (adopted after the core sheet).

/// CSS of ask the community. Custom properties: `--km-question-urgent`
/// (default `--km-color-danger`), `--km-question-solved` (default
/// `--km-color-success`).
// The custom properties get their defaults once, on `.km-root` (not on
// `:host` as in shoelace: the `--c-*` tokens they default to are themed on
// `.km-root`), and every rule reads the resolved `--_*` copy.
pub const CSS: &str = r#"
.km-root { --_question-urgent: var(--km-question-urgent, var(--c-danger)); --_question-solved: var(--km-question-solved, var(--c-success)); }
.ac-list > li { padding: var(--s3) 0; }
.ac-list > li:first-child { padding-top: 0; }
.ac-card h3 { margin-bottom: var(--s1); }
.ac-badges { display: flex; flex-wrap: wrap; gap: var(--s1); margin-bottom: var(--s1); }
.ac-urgent { border-color: var(--_question-urgent); color: var(--_question-urgent); font-weight: 700; }
.ac-solved { border-color: var(--_question-solved); color: var(--_question-solved); font-weight: 700; }
.ac-card .km-tags { margin: var(--s1) 0; }
.ac-meta { display: flex; flex-wrap: wrap; gap: var(--s1) var(--s2); }
.ac-meta time { font-size: inherit; }
.ac-answers { font-weight: 600; color: var(--c-text); }
.ac-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s2); margin-bottom: var(--s3); }
.ac-toolbar .km-input { width: auto; }
.ac-search { display: flex; gap: var(--s1); flex: 1 1 12rem; }
.ac-search .km-input { flex: 1; }
.ac-open { font: inherit; font-weight: 600; text-align: start; }
.ac-form, .ac-detail { display: flex; flex-direction: column; gap: var(--s3); }
.ac-similar { border-inline-start: 3px solid var(--c-accent); padding-inline-start: var(--s2); }
.ac-urgency { border: 0; padding: 0; margin: 0; display: flex; flex-direction: column; gap: var(--s1); }
.ac-radio, .ac-check { display: flex; align-items: center; gap: var(--s1); }
.ac-actions { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s2); }
.ac-answers-list > li { padding: var(--s3) 0; border-top: 1px solid var(--c-border); }
.ac-accepted { border-inline-start: 3px solid var(--_question-solved); padding-inline-start: var(--s2) !important; }
.ac-duplicate { color: var(--c-muted); }
.ac-person { font-weight: 600; }
.ac-tools { display: flex; flex-direction: column; gap: var(--s3); border-top: 1px solid var(--c-border); padding-top: var(--s3); }
.ac-changes h4 { margin-bottom: var(--s1); }
.ac-changes li { padding: var(--s1) 0; }
.ac-compact .ac-list > li { padding: var(--s2) 0; }
.ac-compact h3 { font-size: 1em; }
[aria-pressed="true"] { background: var(--c-accent); color: var(--c-accent-text); }
"#;
