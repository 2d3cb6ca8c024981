//! The reflection prompt's strings (English and Dutch).

km_widgets_core::string_table! {
    /// Keys of the reflection prompt's strings.
    pub enum Key {
        /// Heading.
        Title => { en: "Time to reflect", nl: "Tijd om te reflecteren" },
        /// Screen-reader label before the stage badge.
        Stage => { en: "Stage:", nl: "Fase:" },
        /// Stage: seek.
        StageSeek => { en: "Seek", nl: "Zoeken" },
        /// Stage: sense.
        StageSense => { en: "Sense", nl: "Betekenis geven" },
        /// Stage: share.
        StageShare => { en: "Share", nl: "Delen" },
        /// No identity.
        SignIn => { en: "Sign in to reflect.", nl: "Meld je aan om te reflecteren." },
        /// Already done, daily cadence.
        DoneDaily => { en: "You already reflected today. Another thought is welcome.", nl: "Je hebt vandaag al gereflecteerd. Nog een gedachte is welkom." },
        /// Already done, weekly cadence.
        DoneWeekly => { en: "You already reflected this week. Another thought is welcome.", nl: "Je hebt deze week al gereflecteerd. Nog een gedachte is welkom." },
        /// Label of the reflection text.
        BodyLabel => { en: "Your reflection", nl: "Jouw reflectie" },
        /// Label of the energy select.
        EnergyLabel => { en: "Energy (optional)", nl: "Energie (optioneel)" },
        /// The empty energy choice.
        EnergyNone => { en: "Not set", nl: "Niet ingevuld" },
        /// Explains the energy scale.
        EnergyHint => { en: "1 = drained, 5 = full of energy", nl: "1 = leeg, 5 = vol energie" },
        /// Energy of a saved reflection.
        EnergyShown => { en: "Energy {n} of 5", nl: "Energie {n} van 5" },
        /// Legend of the visibility choice.
        VisibilityLegend => { en: "Who can read this?", nl: "Wie mag dit lezen?" },
        /// Visibility: private.
        VisibilityPrivate => { en: "Only me", nl: "Alleen ik" },
        /// Visibility: shared with my name.
        VisibilityShared => { en: "Colleagues, with my name", nl: "Collega's, met mijn naam" },
        /// Visibility: shared without my name.
        VisibilityAnonymous => { en: "Colleagues, without my name", nl: "Collega's, zonder mijn naam" },
        /// Save button.
        Save => { en: "Save reflection", nl: "Reflectie opslaan" },
        /// Heading of the saved reflection.
        SavedTitle => { en: "Your saved reflection", nl: "Je opgeslagen reflectie" },
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
