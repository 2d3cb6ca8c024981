//! The reflection prompt's strings (English and Dutch): the prompt, the
//! editor, the rhythm settings, the journal and the feed.

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
        /// Skip to another prompt.
        AnotherPrompt => { en: "Another prompt", nl: "Andere vraag" },
        /// Nudge: daily cadence, nothing written today.
        DueDaily => { en: "Your reflection for today is still open.", nl: "Je reflectie van vandaag staat nog open." },
        /// Nudge: weekly cadences, nothing written this period.
        DueWeekly => { en: "Your reflection for this week is still open.", nl: "Je reflectie van deze week staat nog open." },
        /// Summary of the cadence settings.
        RhythmTitle => { en: "My rhythm", nl: "Mijn ritme" },
        /// Legend of the cadence choice.
        RhythmLegend => { en: "How often do you want a prompt?", nl: "Hoe vaak wil je een vraag?" },
        /// Cadence: daily.
        CadenceDaily => { en: "Every day", nl: "Elke dag" },
        /// Cadence: weekly.
        CadenceWeekly => { en: "Every week", nl: "Elke week" },
        /// Cadence: a chosen weekday.
        CadenceWeekday => { en: "Every week on a day I choose", nl: "Elke week op een dag die ik kies" },
        /// Label of the weekday select.
        WeekdayLabel => { en: "Day", nl: "Dag" },
        /// Reminders checkbox.
        RemindersLabel => { en: "Remind me when my reflection is due", nl: "Herinner me als mijn reflectie openstaat" },
        /// Time zone note.
        TimeZoneNote => { en: "Time zone: {tz}", nl: "Tijdzone: {tz}" },
        /// Save the rhythm.
        SaveRhythm => { en: "Save rhythm", nl: "Ritme opslaan" },
        /// Monday.
        Day1 => { en: "Monday", nl: "maandag" },
        /// Tuesday.
        Day2 => { en: "Tuesday", nl: "dinsdag" },
        /// Wednesday.
        Day3 => { en: "Wednesday", nl: "woensdag" },
        /// Thursday.
        Day4 => { en: "Thursday", nl: "donderdag" },
        /// Friday.
        Day5 => { en: "Friday", nl: "vrijdag" },
        /// Saturday.
        Day6 => { en: "Saturday", nl: "zaterdag" },
        /// Sunday.
        Day7 => { en: "Sunday", nl: "zondag" },
        /// Share with my name.
        ShareNamed => { en: "Share with my name", nl: "Delen met mijn naam" },
        /// Share without my name.
        ShareAnonymous => { en: "Share anonymously", nl: "Anoniem delen" },
        /// Announcement after sharing.
        SharedAnnounce => { en: "Shared with colleagues", nl: "Gedeeld met collega's" },
        /// Prefill a question in ask-the-community.
        AskCommunity => { en: "Ask the community about this", nl: "Vraag de community hiernaar" },
        /// Prefill a story in the story board.
        ToStory => { en: "Turn into a story", nl: "Maak er een verhaal van" },
        /// Journal heading.
        JournalTitle => { en: "My journal", nl: "Mijn dagboek" },
        /// Journal search label.
        SearchLabel => { en: "Search my reflections", nl: "Zoek in mijn reflecties" },
        /// Cadence summary, one period.
        PeriodsOne => { en: "{n} period with a reflection", nl: "{n} periode met een reflectie" },
        /// Cadence summary, other.
        PeriodsOther => { en: "{n} periods with a reflection", nl: "{n} periodes met een reflectie" },
        /// Reflection count, one.
        CountOne => { en: "{n} reflection", nl: "{n} reflectie" },
        /// Reflection count, other.
        CountOther => { en: "{n} reflections", nl: "{n} reflecties" },
        /// A weekly period in the journal summary (ISO week).
        PeriodWeek => { en: "Week {week}, {year}", nl: "Week {week}, {year}" },
        /// A weekday period in the journal summary, by its first day.
        PeriodWeekOf => { en: "Week of {date}", nl: "Week van {date}" },
        /// Export as Markdown.
        ExportMarkdown => { en: "Export as Markdown", nl: "Exporteren als Markdown" },
        /// Export as JSON.
        ExportJson => { en: "Export as JSON", nl: "Exporteren als JSON" },
        /// Delete everything.
        DeleteAll => { en: "Delete all my reflections", nl: "Al mijn reflecties verwijderen" },
        /// The confirmation question.
        DeleteConfirm => { en: "Delete all {n} reflections? This cannot be undone.", nl: "Alle {n} reflecties verwijderen? Dit kan niet ongedaan worden gemaakt." },
        /// Confirm the deletion.
        DeleteYes => { en: "Yes, delete all", nl: "Ja, alles verwijderen" },
        /// Cancel.
        Cancel => { en: "Cancel", nl: "Annuleren" },
        /// After deleting.
        DeletedAll => { en: "All your reflections were deleted.", nl: "Al je reflecties zijn verwijderd." },
        /// Empty journal.
        JournalEmpty => { en: "No reflections yet. Today's prompt is a good start.", nl: "Nog geen reflecties. De vraag van vandaag is een mooi begin." },
        /// No search results.
        NoMatches => { en: "No reflections match your search.", nl: "Geen reflecties gevonden." },
        /// Feed heading.
        FeedTitle => { en: "Colleagues reflect", nl: "Collega's reflecteren" },
        /// Empty feed.
        FeedEmpty => { en: "Nothing shared yet.", nl: "Nog niets gedeeld." },
        /// The author of an anonymous share.
        Anonymous => { en: "Anonymous", nl: "Anoniem" },
        /// Reaction: insightful.
        ReactInsightful => { en: "Insightful", nl: "Inzichtelijk" },
        /// Reaction: thanks.
        ReactThanks => { en: "Thanks", nl: "Bedankt" },
        /// Reaction: me too.
        ReactMeToo => { en: "Me too", nl: "Herkenbaar" },
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
