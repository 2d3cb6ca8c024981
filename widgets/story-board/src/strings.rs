//! The story board's strings (English and Dutch).

km_widgets_core::string_table! {
    /// Keys of the story board's strings.
    pub enum Key {
        /// Heading.
        Title => { en: "Success stories", nl: "Succesverhalen" },
        /// Empty board.
        Empty => { en: "No stories have been published yet.", nl: "Er zijn nog geen verhalen gepubliceerd." },
        /// Label before the goal.
        Goal => { en: "Goal", nl: "Doel" },
        /// Label before the team.
        Team => { en: "Team", nl: "Team" },
        /// Metrics list label.
        Results => { en: "Results", nl: "Resultaten" },
        /// "from → to" for screen readers.
        FromTo => { en: "from {from} to {to}", nl: "van {from} naar {to}" },
        /// Improvement badge description.
        Better => { en: "{pct} better", nl: "{pct} beter" },
        /// Worsening badge description.
        Worse => { en: "{pct} worse", nl: "{pct} slechter" },
        /// Applause, one.
        ApplauseOne => { en: "{n} applause", nl: "{n} applaus" },
        /// Applause, other.
        ApplauseOther => { en: "{n} applause", nl: "{n} keer applaus" },
        /// Submitted by.
        By => { en: "by {name}", nl: "door {name}" },
    }
}

#[cfg(test)]
mod tests {
    use super::Key;
    use km_widgets_core::Lang;
    use km_widgets_core::i18n::missing_translations;

    #[test]
    fn dutch_covers_every_key() {
        assert_eq!(missing_translations::<Key>(Lang::Nl), Vec::<&str>::new());
    }
}
