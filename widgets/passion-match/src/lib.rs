//! km-passion-match (work in progress).

use km_widgets_core::WidgetSpec;
use leptos::prelude::*;

/// The kind name the loader uses.
pub const KIND: &str = "passion-match";

/// How the bundle mounts this widget.
pub const SPEC: WidgetSpec = WidgetSpec {
    kind: KIND,
    css: "",
    view: mount_view,
};

/// The widget's view.
pub fn mount_view() -> AnyView {
    view! { <p>"passion-match"</p> }.into_any()
}
