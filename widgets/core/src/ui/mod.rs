//! Shared components: states, field errors, safe text, the tag picker.

pub mod fields;
pub mod states;
pub mod tag_picker;
pub mod text;

pub use fields::{FieldMessage, FormErrors, field_message};
pub use states::{Empty, ErrorState, Loading, async_view, report_error};
pub use tag_picker::TagPicker;
pub use text::{Markdown, RelativeTime};
