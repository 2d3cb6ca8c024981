//! Safe text: the markdown subset rendered as DOM nodes (text is always
//! set as text, never parsed as HTML), and localized relative times.

use leptos::prelude::*;

use crate::intl;
use crate::markdown::{Block, Inline, parse};
use crate::mount::use_widget;

fn inline_view(nodes: Vec<Inline>) -> AnyView {
    nodes
        .into_iter()
        .map(|n| match n {
            Inline::Text(s) => s.into_any(),
            Inline::Code(s) => view! { <code>{s}</code> }.into_any(),
            Inline::Strong(c) => view! { <strong>{inline_view(c)}</strong> }.into_any(),
            Inline::Em(c) => view! { <em>{inline_view(c)}</em> }.into_any(),
            Inline::Break => view! { <br/> }.into_any(),
            Inline::Link { href, children } => view! {
                <a href=href target="_blank" rel="noopener noreferrer nofollow ugc">{inline_view(children)}</a>
            }
            .into_any(),
        })
        .collect::<Vec<_>>()
        .into_any()
}

/// Renders markdown-subset text (see [`crate::markdown`]) as paragraphs,
/// lists and inline elements inside `<div class="km-md">`.
#[component]
pub fn Markdown(
    /// The source text (from the server or the person).
    #[prop(into)]
    source: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="km-md">
            {move || {
                parse(&source.get())
                    .into_iter()
                    .map(|b| match b {
                        Block::Paragraph(c) => view! { <p>{inline_view(c)}</p> }.into_any(),
                        Block::List(items) => view! {
                            <ul>
                                {items
                                    .into_iter()
                                    .map(|i| view! { <li>{inline_view(i)}</li> })
                                    .collect::<Vec<_>>()}
                            </ul>
                        }
                        .into_any(),
                    })
                    .collect::<Vec<_>>()
            }}
        </div>
    }
}

/// "3 days ago" in the widget's language inside `<time datetime>`, with
/// the full localized date as its `title`. Invalid timestamps render nothing.
#[component]
pub fn RelativeTime(
    /// An RFC 3339 timestamp.
    #[prop(into)]
    at: String,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let at2 = at.clone();
    let at3 = at.clone();
    view! {
        <time datetime=at class="km-muted" title=move || intl::format_date(lang.get(), &at2, true)>
            {move || intl::format_relative(lang.get(), &at3, intl::now_ms())}
        </time>
    }
}
