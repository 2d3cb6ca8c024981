//! Field errors next to their fields, from local [`km_protocol::Validate`]
//! results or a server problem's `errors`, with `aria-invalid` and
//! `aria-describedby` wiring.

use km_protocol::FieldError;
use km_protocol::validate::codes;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::config::Lang;
use crate::i18n::{CoreKey, fill, t};
use crate::mount::use_widget;

/// Whether error field `error_field` belongs to form field `field`
/// (`tags[2]` belongs to `tags`, `metrics[0].unit` to `metrics`).
pub fn field_matches(error_field: &str, field: &str) -> bool {
    error_field == field
        || error_field
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
}

/// The localized message of a field error, by its stable code.
pub fn field_message(lang: Lang, e: &FieldError) -> String {
    let limit = e.limit.map(|l| l.to_string()).unwrap_or_default();
    let key = match e.code.as_str() {
        codes::REQUIRED => CoreKey::FieldRequired,
        codes::TOO_LONG => CoreKey::FieldTooLong,
        codes::TOO_SHORT => CoreKey::FieldTooShort,
        codes::TOO_MANY => CoreKey::FieldTooMany,
        codes::OUT_OF_RANGE => CoreKey::FieldOutOfRange,
        codes::INVALID_FORMAT => CoreKey::FieldInvalidFormat,
        codes::DATE_ORDER => CoreKey::FieldDateOrder,
        codes::TAKEN => CoreKey::FieldTaken,
        codes::INVALID_CHARACTERS => CoreKey::FieldInvalidCharacters,
        codes::MIXED_SCRIPT => CoreKey::FieldMixedScript,
        // An unknown code from a newer server: its English text is better than nothing.
        _ => return e.message.clone(),
    };
    fill(t(lang, key), &[("limit", &limit)])
}

/// The reactive list of field errors of one form.
#[derive(Debug, Clone, Copy)]
pub struct FormErrors(pub RwSignal<Vec<FieldError>>);

impl FormErrors {
    /// No errors yet.
    pub fn new() -> Self {
        FormErrors(RwSignal::new(Vec::new()))
    }

    /// Replaces the errors with a validation result.
    pub fn set_result(&self, result: Result<(), Vec<FieldError>>) {
        self.0.set(result.err().unwrap_or_default());
    }

    /// Takes the field errors of a server error (none for other errors).
    pub fn set_from_api(&self, error: &ApiError) {
        self.0.set(
            error
                .problem()
                .map(|p| p.errors.clone())
                .unwrap_or_default(),
        );
    }

    /// Takes the field errors of a server error whose field `keep`
    /// accepts; whether there were any (otherwise the caller shows the
    /// error itself).
    pub fn take_from_api(&self, error: &ApiError, keep: impl Fn(&str) -> bool) -> bool {
        let fields: Vec<FieldError> = error
            .problem()
            .map(|p| {
                p.errors
                    .iter()
                    .filter(|f| keep(&f.field))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let any = !fields.is_empty();
        if any {
            self.0.set(fields);
        }
        any
    }

    /// Clears the errors of one field (while the person edits it).
    pub fn clear_field(&self, field: &'static str) {
        if self
            .0
            .with_untracked(|v| v.iter().any(|e| field_matches(&e.field, field)))
        {
            self.0
                .update(|v| v.retain(|e| !field_matches(&e.field, field)));
        }
    }

    /// The first error of `field` (reactive).
    pub fn first(&self, field: &str) -> Option<FieldError> {
        self.0
            .with(|v| v.iter().find(|e| field_matches(&e.field, field)).cloned())
    }

    /// Whether any error is present (reactive).
    pub fn any(&self) -> bool {
        self.0.with(|v| !v.is_empty())
    }

    /// `"true"` when `field` has an error, for `aria-invalid` (reactive).
    pub fn aria_invalid(
        &self,
        field: &'static str,
    ) -> impl Fn() -> Option<&'static str> + Send + Sync + Copy + 'static + use<> {
        let me = *self;
        move || me.first(field).map(|_| "true")
    }
}

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

/// The message of `field`'s error, rendered under the field with `id` so
/// the control can point at it with `aria-describedby`.
#[component]
pub fn FieldMessage(
    /// The form's errors.
    errors: FormErrors,
    /// The field name as in the request body.
    field: &'static str,
    /// The element id (the control's `aria-describedby`).
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    view! {
        <p class="km-field-error" part="field-error" id=id>
            {move || errors.first(field).map(|e| field_message(lang.get(), &e))}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_error_fields_belong_to_their_form_field() {
        assert!(field_matches("tags", "tags"));
        assert!(field_matches("tags[3]", "tags"));
        assert!(field_matches("metrics[0].unit", "metrics"));
        assert!(!field_matches("tagsx", "tags"));
    }

    #[test]
    fn messages_are_localized_by_code_with_limits() {
        let e =
            FieldError::new("title", codes::TOO_SHORT, "title needs at least 10").with_limit(10);
        assert_eq!(field_message(Lang::En, &e), "Use at least 10 characters.");
        assert_eq!(field_message(Lang::Nl, &e), "Gebruik minstens 10 tekens.");
        // Hostile text (issue 10 item 8) is explained in the reader's language.
        let bidi = FieldError::new("title", codes::INVALID_CHARACTERS, "invalid characters");
        assert!(field_message(Lang::Nl, &bidi).starts_with("Haal onzichtbare tekens"));
        let mixed = FieldError::new("tags[0]", codes::MIXED_SCRIPT, "mixed scripts");
        assert!(field_message(Lang::En, &mixed).contains("one alphabet"));
        let odd = FieldError::new("x", "brand_new_code", "Something new");
        assert_eq!(field_message(Lang::Nl, &odd), "Something new");
    }
}
