//! The passion match's strings (English and Dutch).

km_widgets_core::string_table! {
    /// Keys of the passion match's strings.
    pub enum Key {
        /// Heading of my own passions.
        MineTitle => { en: "My passions", nl: "Mijn passies" },
        /// Heading of the colleague list.
        ColleaguesTitle => { en: "Colleagues who share your passions", nl: "Collega's met dezelfde passies" },
        /// Heading of the colleague list when filtered by a tag.
        ColleaguesTagTitle => { en: "Colleagues who care about {tag}", nl: "Collega's met passie voor {tag}" },
        /// No identity: the note instead of my passions.
        SignIn => { en: "Sign in to add your passions.", nl: "Meld je aan om je passies toe te voegen." },
        /// My profile has no passions yet.
        MineEmpty => { en: "You have not added any passions yet.", nl: "Je hebt nog geen passies toegevoegd." },
        /// No colleagues to show.
        ColleaguesEmpty => { en: "No colleagues to show yet.", nl: "Er zijn nog geen collega's om te tonen." },
        /// Level: love.
        LevelLove => { en: "loves it", nl: "vindt het geweldig" },
        /// Level: curious.
        LevelCurious => { en: "curious", nl: "nieuwsgierig" },
        /// Level: can teach.
        LevelTeach => { en: "can teach", nl: "kan het uitleggen" },
        /// Level: wants to learn.
        LevelLearn => { en: "wants to learn", nl: "wil het leren" },
        /// Screen-reader text after a passion I share.
        SharedMark => { en: "(you share this passion)", nl: "(deze passie deel je)" },
        /// Count of shared passions, one.
        SharedOne => { en: "{n} passion in common", nl: "{n} passie gemeen" },
        /// Count of shared passions, other.
        SharedOther => { en: "{n} passions in common", nl: "{n} passies gemeen" },
        /// A colleague's passions list label.
        PassionsOf => { en: "Passions of {name}", nl: "Passies van {name}" },
        /// Open to a coffee chat.
        OpenToChat => { en: "Open to a coffee chat", nl: "In voor een koffiegesprek" },
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
