//! Typed string tables: one key enum, one table per locale, English fallback.
//!
//! A table is declared with [`string_table!`](crate::string_table): every key
//! has an English text and (normally) a Dutch one. A key without a Dutch
//! text falls back to English, and each crate has a test asserting that no
//! key does ([`missing_translations`]). Placeholders are `{name}`, filled by
//! [`fill`]; plurals are pairs of keys chosen by [`plural`].

use leptos::prelude::*;

use crate::config::Lang;

/// A typed key of a string table; implemented by [`string_table!`](crate::string_table).
pub trait Translate: Copy + 'static {
    /// Every key, in declaration order.
    const ALL: &'static [Self];
    /// The key's name (for test messages).
    fn name(self) -> &'static str;
    /// English text (always present).
    fn en(self) -> &'static str;
    /// Dutch text, if translated.
    fn nl(self) -> Option<&'static str>;

    /// The text in `lang`, falling back to English.
    fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en(),
            Lang::Nl => self.nl().unwrap_or_else(|| self.en()),
        }
    }
}

/// Declares a key enum and its English and Dutch texts.
///
/// ```
/// km_widgets_core::string_table! {
///     /// Strings of my widget.
///     pub enum MyKey {
///         /// The heading.
///         Title => { en: "Questions", nl: "Vragen" },
///         /// Not translated yet: falls back to English.
///         Beta => { en: "Beta" },
///     }
/// }
/// use km_widgets_core::i18n::Translate;
/// assert_eq!(MyKey::Title.get(km_widgets_core::Lang::Nl), "Vragen");
/// assert_eq!(MyKey::Beta.get(km_widgets_core::Lang::Nl), "Beta");
/// ```
#[macro_export]
macro_rules! string_table {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$kmeta:meta])*
                $key:ident => { en: $en:expr $(, nl: $nl:expr)? $(,)? }
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$kmeta])* $key, )*
        }

        impl $crate::i18n::Translate for $name {
            const ALL: &'static [Self] = &[ $( $name::$key, )* ];

            fn name(self) -> &'static str {
                match self { $( $name::$key => stringify!($key), )* }
            }

            fn en(self) -> &'static str {
                match self { $( $name::$key => $en, )* }
            }

            #[allow(unreachable_patterns)]
            fn nl(self) -> Option<&'static str> {
                match self {
                    $( $( $name::$key => Some($nl), )? )*
                    _ => None,
                }
            }
        }
    };
}

/// The names of keys of table `K` without a text in `lang` (empty = complete).
pub fn missing_translations<K: Translate>(lang: Lang) -> Vec<&'static str> {
    K::ALL
        .iter()
        .filter(|k| match lang {
            Lang::En => k.en().is_empty(),
            Lang::Nl => k.nl().is_none_or(str::is_empty),
        })
        .map(|k| k.name())
        .collect()
}

/// Replaces each `{name}` in `template` by its value; unknown placeholders stay.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// CLDR plural categories used by English and Dutch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralCategory {
    /// Exactly one (integer 1).
    One,
    /// Everything else (0, 2, 1.5, …).
    Other,
}

/// The plural category of `n` in `lang` (English and Dutch share the rule
/// "one" for the integer 1, "other" otherwise).
pub fn plural_category(lang: Lang, n: i64) -> PluralCategory {
    match lang {
        Lang::En | Lang::Nl => {
            if n == 1 {
                PluralCategory::One
            } else {
                PluralCategory::Other
            }
        }
    }
}

/// The calm message of a write refused for speed (429 with `Retry-After`):
/// "try again in a minute", "in N minutes" (rounded up) or, past 90
/// minutes, "in N hours".
pub fn posting_quickly(lang: Lang, retry_after_secs: u64) -> String {
    let minutes = retry_after_secs.div_ceil(60).max(1);
    if minutes <= 1 {
        t(lang, CoreKey::ErrorQuickSoon).to_owned()
    } else if minutes <= 90 {
        fill(
            t(lang, CoreKey::ErrorQuickMinutes),
            &[("n", &minutes.to_string())],
        )
    } else {
        fill(
            t(lang, CoreKey::ErrorQuickHours),
            &[("n", &minutes.div_ceil(60).to_string())],
        )
    }
}

/// Picks `one` or `other` for `n` and fills `{n}` with the number.
pub fn plural<K: Translate>(lang: Lang, n: i64, one: K, other: K) -> String {
    let key = match plural_category(lang, n) {
        PluralCategory::One => one,
        PluralCategory::Other => other,
    };
    fill(key.get(lang), &[("n", &n.to_string())])
}

crate::string_table! {
    /// Strings of the shared UI (states, tag picker, outbox, errors).
    pub enum CoreKey {
        /// Loading state.
        Loading => { en: "Loading…", nl: "Laden…" },
        /// Retry button.
        Retry => { en: "Try again", nl: "Opnieuw proberen" },
        /// Placeholder of a part of a widget whose code is still arriving.
        PartLoading => { en: "Opening…", nl: "Openen…" },
        /// A part of a widget whose code could not be fetched.
        PartFailed => { en: "This part could not be loaded. Check your connection and try again.", nl: "Dit onderdeel kon niet worden geladen. Controleer je verbinding en probeer het opnieuw." },
        /// Generic empty state.
        Empty => { en: "Nothing here yet.", nl: "Hier staat nog niets." },
        /// Error title: network.
        ErrorNetwork => { en: "Cannot reach the server. Check your connection.", nl: "De server is niet bereikbaar. Controleer je verbinding." },
        /// Error title: timeout.
        ErrorTimeout => { en: "The server took too long to answer.", nl: "De server reageerde te traag." },
        /// Error title: malformed response.
        ErrorDecode => { en: "The server sent an answer this widget does not understand.", nl: "De server stuurde een antwoord dat deze widget niet begrijpt." },
        /// 401.
        ErrorUnauthorized => { en: "Please sign in to use this.", nl: "Meld je aan om dit te gebruiken." },
        /// 403.
        ErrorForbidden => { en: "You are not allowed to do this.", nl: "Je hebt hier geen toestemming voor." },
        /// 404.
        ErrorNotFound => { en: "This could not be found.", nl: "Dit is niet gevonden." },
        /// 409.
        ErrorConflict => { en: "This exists already.", nl: "Dit bestaat al." },
        /// 422.
        ErrorValidation => { en: "Some fields need attention.", nl: "Sommige velden moeten worden aangepast." },
        /// 429.
        ErrorLimit => { en: "Too many requests. Please wait a moment.", nl: "Te veel verzoeken. Wacht even." },
        /// 429 rate-limited, retry within a minute.
        ErrorQuickSoon => { en: "You're posting quickly; try again in a minute.", nl: "Je plaatst snel achter elkaar; probeer het over een minuut opnieuw." },
        /// 429 rate-limited, retry in `{n}` minutes.
        ErrorQuickMinutes => { en: "You're posting quickly; try again in {n} minutes.", nl: "Je plaatst snel achter elkaar; probeer het over {n} minuten opnieuw." },
        /// 429 rate-limited, retry in `{n}` hours (2 or more).
        ErrorQuickHours => { en: "You're posting quickly; try again in {n} hours.", nl: "Je plaatst snel achter elkaar; probeer het over {n} uur opnieuw." },
        /// 5xx.
        ErrorServer => { en: "Something went wrong on the server.", nl: "Er ging iets mis op de server." },
        /// Prefix of the live announcement of an error.
        ErrorAnnounce => { en: "Error: {message}", nl: "Fout: {message}" },
        /// Field error: required.
        FieldRequired => { en: "This field is required.", nl: "Dit veld is verplicht." },
        /// Field error: too long.
        FieldTooLong => { en: "Use at most {limit} characters.", nl: "Gebruik hoogstens {limit} tekens." },
        /// Field error: too short.
        FieldTooShort => { en: "Use at least {limit} characters.", nl: "Gebruik minstens {limit} tekens." },
        /// Field error: too many entries.
        FieldTooMany => { en: "Choose at most {limit}.", nl: "Kies er hoogstens {limit}." },
        /// Field error: out of range.
        FieldOutOfRange => { en: "This value is out of range.", nl: "Deze waarde valt buiten het bereik." },
        /// Field error: invalid format.
        FieldInvalidFormat => { en: "This value has the wrong format.", nl: "Deze waarde heeft de verkeerde vorm." },
        /// Field error: date order.
        FieldDateOrder => { en: "This date is before the start date.", nl: "Deze datum ligt voor de begindatum." },
        /// Field error: taken.
        FieldTaken => { en: "This is taken already.", nl: "Dit is al in gebruik." },
        /// Field error: control or direction-changing characters, or nothing visible.
        FieldInvalidCharacters => { en: "Remove invisible or control characters, and write something visible.", nl: "Haal onzichtbare tekens en stuurtekens weg, en schrijf iets zichtbaars." },
        /// Field error: a tag mixing alphabets that look alike.
        FieldMixedScript => { en: "Write this tag in one alphabet: it mixes letters that look alike.", nl: "Schrijf dit label in één alfabet: het mengt letters die op elkaar lijken." },
        /// Tag picker: input label.
        TagsLabel => { en: "Tags", nl: "Tags" },
        /// Tag picker: placeholder.
        TagsPlaceholder => { en: "Type to add a tag", nl: "Typ om een tag toe te voegen" },
        /// Tag picker: remove-chip button label.
        TagRemove => { en: "Remove {tag}", nl: "{tag} verwijderen" },
        /// Tag picker: the "create new" option.
        TagCreate => { en: "Add “{tag}”", nl: "“{tag}” toevoegen" },
        /// Tag picker: announcement after adding.
        TagAdded => { en: "{tag} added", nl: "{tag} toegevoegd" },
        /// Tag picker: announcement after removing.
        TagRemoved => { en: "{tag} removed", nl: "{tag} verwijderd" },
        /// Tag picker: keyboard hint.
        TagsHint => { en: "Press Enter to add, Backspace to remove the last tag.", nl: "Druk op Enter om toe te voegen, Backspace om de laatste tag te verwijderen." },
        /// Tag picker: suggestions count, one.
        TagSuggestionsOne => { en: "{n} suggestion", nl: "{n} suggestie" },
        /// Tag picker: suggestions count, other.
        TagSuggestionsOther => { en: "{n} suggestions", nl: "{n} suggesties" },
        /// Below a list with a next page.
        ShowMore => { en: "Show more", nl: "Meer tonen" },
        /// Announced after the next page was added.
        MoreShown => { en: "{n} more shown", nl: "{n} extra getoond" },
        /// Outbox: a submission waiting for the network.
        Pending => { en: "Waiting to be sent", nl: "Wacht op verzending" },
        /// Outbox: announcement when queued.
        QueuedAnnounce => { en: "You are offline. It will be sent when the connection is back.", nl: "Je bent offline. Het wordt verzonden zodra de verbinding terug is." },
        /// Outbox: count of pending items, one.
        PendingOne => { en: "{n} item waiting to be sent", nl: "{n} item wacht op verzending" },
        /// Outbox: count of pending items, other.
        PendingOther => { en: "{n} items waiting to be sent", nl: "{n} items wachten op verzending" },
        /// Draft restored notice.
        DraftRestored => { en: "Your unsent text was restored.", nl: "Je niet-verzonden tekst is teruggezet." },
        /// Saving state.
        Saving => { en: "Saving…", nl: "Opslaan…" },
        /// Saved state.
        Saved => { en: "Saved", nl: "Opgeslagen" },
        /// Save state: changed, saving after a pause.
        Unsaved => { en: "Unsaved changes", nl: "Niet-opgeslagen wijzigingen" },
        /// Save state: offline, kept and retried.
        SaveQueued => { en: "Not saved yet: kept on this device, trying again", nl: "Nog niet opgeslagen: bewaard op dit apparaat, we proberen het opnieuw" },
        /// Save state: refused (see the fields).
        SaveRefused => { en: "Not saved: check the fields above", nl: "Niet opgeslagen: controleer de velden hierboven" },
        /// Sign-in hint.
        SignInHint => { en: "Sign in to the intranet to take part.", nl: "Meld je aan op het intranet om mee te doen." },
        /// Sign-in button when the backend gives no organization name.
        SignIn => { en: "Sign in", nl: "Aanmelden" },
        /// Sign-in button: `{org}` is the organization's name.
        SignInWith => { en: "Sign in with {org}", nl: "Aanmelden bij {org}" },
        /// While the sign-in popup is open.
        SignInWaiting => { en: "Finish signing in in the window that opened.", nl: "Rond het aanmelden af in het venster dat is geopend." },
        /// The browser refused to open the popup.
        SignInBlocked => { en: "Your browser blocked the sign-in window. Allow pop-ups for this page and try again.", nl: "Je browser hield het aanmeldvenster tegen. Sta pop-ups toe voor deze pagina en probeer het opnieuw." },
        /// Sign-in failed (the backend's reason may follow).
        SignInFailed => { en: "Signing in did not work.", nl: "Aanmelden is niet gelukt." },
        /// Signed in through the backend: `{name}` is the person.
        SignedInAs => { en: "Signed in as {name}", nl: "Aangemeld als {name}" },
        /// Signed in, no name known.
        SignedIn => { en: "Signed in", nl: "Aangemeld" },
        /// Sign-out button.
        SignOut => { en: "Sign out", nl: "Afmelden" },
        /// Announced after signing out.
        SignedOut => { en: "You are signed out.", nl: "Je bent afgemeld." },
    }
}

/// Shorthand: a core string in `lang`.
pub fn t(lang: Lang, key: CoreKey) -> &'static str {
    key.get(lang)
}

/// The text of `key` in the widget's language, as a reactive closure for
/// views: `{tr(lang, Key::Title)}` re-renders when `lang` changes.
///
/// Why not `move || Key::Title.get(lang.get())` inline: every inline
/// closure is a type of its own, and each one instantiates the reactive
/// text rendering again; this closure has one type per table, so all the
/// strings of a widget share one instantiation (a smaller wasm).
pub fn tr<K: Translate + Send + Sync>(
    lang: RwSignal<Lang>,
    key: K,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || key.get(lang.get())
}

/// [`tr`] as a `Signal<String>`, for props such as a state's `message`.
pub fn tr_signal<K: Translate + Send + Sync>(lang: RwSignal<Lang>, key: K) -> Signal<String> {
    Signal::derive(move || key.get(lang.get()).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::string_table! {
        /// A table with a gap, to test the fallback.
        enum Partial {
            /// Translated.
            Yes => { en: "Yes", nl: "Ja" },
            /// Untranslated.
            Later => { en: "Later" },
        }
    }

    #[test]
    fn core_table_is_complete_in_dutch() {
        assert_eq!(
            missing_translations::<CoreKey>(Lang::Nl),
            Vec::<&str>::new()
        );
        assert_eq!(
            missing_translations::<CoreKey>(Lang::En),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn missing_keys_fall_back_to_english_and_are_reported() {
        assert_eq!(Partial::Yes.get(Lang::Nl), "Ja");
        assert_eq!(Partial::Later.get(Lang::Nl), "Later");
        assert_eq!(missing_translations::<Partial>(Lang::Nl), ["Later"]);
    }

    #[test]
    fn plurals_choose_one_only_for_exactly_one() {
        assert_eq!(plural_category(Lang::En, 1), PluralCategory::One);
        assert_eq!(plural_category(Lang::Nl, 0), PluralCategory::Other);
        assert_eq!(plural_category(Lang::Nl, 2), PluralCategory::Other);
        let s = |l, n| plural(l, n, CoreKey::PendingOne, CoreKey::PendingOther);
        assert_eq!(s(Lang::En, 1), "1 item waiting to be sent");
        assert_eq!(s(Lang::En, 3), "3 items waiting to be sent");
        assert_eq!(s(Lang::Nl, 1), "1 item wacht op verzending");
        assert_eq!(s(Lang::Nl, 0), "0 items wachten op verzending");
    }

    #[test]
    fn tr_follows_the_language_signal() {
        let lang = RwSignal::new(Lang::En);
        let retry = tr(lang, CoreKey::Retry);
        assert_eq!(retry(), "Try again");
        lang.set(Lang::Nl);
        assert_eq!(retry(), "Opnieuw proberen");
        assert_eq!(tr_signal(lang, CoreKey::Saved).get(), "Opgeslagen");
    }

    #[test]
    fn posting_quickly_rounds_up_to_minutes_then_hours() {
        // Regression (issue 10 item 7): a 429 said "Too many requests"
        // without saying when the write would be accepted.
        assert_eq!(
            posting_quickly(Lang::En, 20),
            "You're posting quickly; try again in a minute."
        );
        assert_eq!(
            posting_quickly(Lang::En, 61),
            "You're posting quickly; try again in 2 minutes."
        );
        assert_eq!(
            posting_quickly(Lang::Nl, 3600),
            "Je plaatst snel achter elkaar; probeer het over 60 minuten opnieuw."
        );
        assert_eq!(
            posting_quickly(Lang::En, 3 * 3600),
            "You're posting quickly; try again in 3 hours."
        );
        assert_eq!(
            posting_quickly(Lang::Nl, 5_500),
            "Je plaatst snel achter elkaar; probeer het over 2 uur opnieuw."
        );
    }

    #[test]
    fn fill_replaces_named_placeholders() {
        assert_eq!(fill("Remove {tag}", &[("tag", "Rust")]), "Remove Rust");
        assert_eq!(fill("{a} {b}", &[("a", "1")]), "1 {b}");
    }
}
