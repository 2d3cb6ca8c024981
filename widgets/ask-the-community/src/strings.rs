//! Ask the community's strings (English and Dutch).

km_widgets_core::string_table! {
    /// Keys of ask the community's strings.
    pub enum Key {
        /// Heading.
        Title => { en: "Ask the community", nl: "Vraag het de community" },
        /// Heading when filtered by a tag.
        TitleTag => { en: "Questions about {tag}", nl: "Vragen over {tag}" },
        /// No questions.
        Empty => { en: "No questions yet. Be the first to ask one.", nl: "Nog geen vragen. Stel als eerste een vraag." },
        /// Answer count, one.
        AnswersOne => { en: "{n} answer", nl: "{n} antwoord" },
        /// Answer count, other.
        AnswersOther => { en: "{n} answers", nl: "{n} antwoorden" },
        /// Urgent badge.
        Urgent => { en: "Urgent", nl: "Dringend" },
        /// The need-by date of an urgent question.
        NeedBy => { en: "needed by {date}", nl: "nodig vóór {date}" },
        /// Solved badge.
        Solved => { en: "Solved", nl: "Opgelost" },
        /// The asker of an anonymous question.
        Anonymous => { en: "Anonymous", nl: "Anoniem" },
        /// Who asked, before the name.
        AskedBy => { en: "Asked by", nl: "Gevraagd door" },
        /// Label of a question's tag list.
        Tags => { en: "Tags", nl: "Tags" },
    }
}

#[cfg(test)]
mod tests {
    use super::Key;
    use km_widgets_core::Lang;
    use km_widgets_core::i18n::missing_translations;

    #[test]
    fn every_key_has_english_and_dutch() {
        assert_eq!(missing_translations::<Key>(Lang::En), Vec::<&str>::new());
        assert_eq!(missing_translations::<Key>(Lang::Nl), Vec::<&str>::new());
    }
}
