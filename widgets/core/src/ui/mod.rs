//! Shared components: states, field errors, safe text, the tag picker,
//! lists shown page by page, signing in and out.

pub mod fields;
pub mod more;
pub mod sign_in;
pub mod states;
pub mod tag_picker;
pub mod text;

pub use fields::{FieldMessage, FormErrors, field_message};
pub use more::Paged;
pub use sign_in::{SessionBar, SignInNote};
pub use states::{
    Empty, ErrorState, Loading, Note, async_view, async_view_or_signed_out, is_signed_out,
    report_error,
};
pub use tag_picker::TagPicker;
pub use text::{Markdown, RelativeTime};
