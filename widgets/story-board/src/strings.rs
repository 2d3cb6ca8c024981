//! The story board's strings (English and Dutch).

km_widgets_core::string_table! {
    /// Keys of the story board's strings.
    pub enum Key {
        /// Heading.
        Title => { en: "Success stories", nl: "Succesverhalen" },
        /// Empty board.
        Empty => { en: "No stories have been published yet.", nl: "Er zijn nog geen verhalen gepubliceerd." },
        /// No story matches the filters.
        NoMatch => { en: "No stories match these filters.", nl: "Geen verhalen bij deze filters." },
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
        /// Applause button (accessible name; the story's title and the count follow).
        Applaud => { en: "Applaud", nl: "Applaus voor" },
        /// Submitted by.
        By => { en: "by {name}", nl: "door {name}" },
        /// Contributors.
        With => { en: "with {names}", nl: "met {names}" },
        /// Evidence link.
        Evidence => { en: "Evidence", nl: "Bewijs" },
        /// Featured badge.
        Featured => { en: "Featured", nl: "Uitgelicht" },
        /// Submitted (waiting) badge.
        Waiting => { en: "Waiting for review", nl: "Wacht op beoordeling" },
        /// View switcher label.
        Views => { en: "Views", nl: "Weergaven" },
        /// Tab: the board.
        TabBoard => { en: "Stories", nl: "Verhalen" },
        /// Tab: impact.
        TabImpact => { en: "Impact", nl: "Impact" },
        /// Tab: review queue.
        TabReview => { en: "To review", nl: "Te beoordelen" },
        /// Tab: submit.
        TabSubmit => { en: "Share a story", nl: "Deel een verhaal" },
        /// Filters group label.
        Filters => { en: "Filters", nl: "Filters" },
        /// Any goal / team option.
        Any => { en: "All", nl: "Alle" },
        /// Tag filter label.
        Tag => { en: "Tag", nl: "Tag" },
        /// Period filter label.
        Period => { en: "Period", nl: "Periode" },
        /// Period: all time.
        PeriodAll => { en: "All time", nl: "Altijd" },
        /// Period: last n days.
        PeriodDays => { en: "Last {n} days", nl: "Afgelopen {n} dagen" },
        /// Period: last year.
        PeriodYear => { en: "Last 12 months", nl: "Afgelopen 12 maanden" },
        /// Sort label.
        Sort => { en: "Sort by", nl: "Sorteren op" },
        /// Sort: newest.
        SortNewest => { en: "Newest", nl: "Nieuwste" },
        /// Sort: most applauded.
        SortApplause => { en: "Most applauded", nl: "Meeste applaus" },
        /// Sort: largest improvement.
        SortImprovement => { en: "Largest improvement", nl: "Grootste verbetering" },
        /// Group label.
        GroupBy => { en: "Group by", nl: "Groeperen op" },
        /// Group: none.
        GroupNone => { en: "Nothing", nl: "Niets" },
        /// Heading for stories without a goal.
        NoGoal => { en: "No goal", nl: "Geen doel" },
        /// Heading for stories without a team.
        NoTeam => { en: "No team", nl: "Geen team" },
        /// CSV download.
        DownloadCsv => { en: "Download CSV", nl: "CSV downloaden" },
        /// Moderator: publish.
        Publish => { en: "Publish", nl: "Publiceren" },
        /// Moderator: feature toggle.
        Feature => { en: "Feature", nl: "Uitlichten" },
        /// Announcement after publishing.
        Published => { en: "“{title}” is published.", nl: "“{title}” is gepubliceerd." },
        /// Empty review queue.
        NothingToReview => { en: "Nothing is waiting for review.", nl: "Er wacht niets op beoordeling." },
        /// Impact: stories count, one.
        StoriesOne => { en: "{n} story", nl: "{n} verhaal" },
        /// Impact: stories count, other.
        StoriesOther => { en: "{n} stories", nl: "{n} verhalen" },
        /// Impact table: unit column.
        Unit => { en: "Unit", nl: "Eenheid" },
        /// Impact table: metrics column.
        Metrics => { en: "Metrics", nl: "Metingen" },
        /// Impact table: total column.
        Total => { en: "Total improvement", nl: "Totale verbetering" },
        /// Impact table: median column.
        Median => { en: "Median improvement", nl: "Mediane verbetering" },
        /// Impact table: median percent column.
        MedianPct => { en: "Median change", nl: "Mediane verandering" },
        /// Chart: improvement per story.
        ChartStories => { en: "Improvement per story", nl: "Verbetering per verhaal" },
        /// Chart: stories per month.
        ChartMonths => { en: "Stories per month", nl: "Verhalen per maand" },
        /// Chart summary for screen readers.
        ChartSummary => { en: "Bar chart; the table below has the same numbers.", nl: "Staafdiagram; de tabel hieronder bevat dezelfde cijfers." },
        /// Show the table of a chart.
        ShowTable => { en: "Show as table", nl: "Toon als tabel" },
        /// Table column: story.
        Story => { en: "Story", nl: "Verhaal" },
        /// Table column: improvement.
        Improvement => { en: "Improvement", nl: "Verbetering" },
        /// Table column: month.
        Month => { en: "Month", nl: "Maand" },
        /// Table column: stories.
        Stories => { en: "Stories", nl: "Verhalen" },
        /// Print a goal's summary.
        Print => { en: "Print summary", nl: "Samenvatting afdrukken" },
        /// Print heading prefix.
        SummaryOf => { en: "Summary: {goal}", nl: "Samenvatting: {goal}" },
        /// Form: title.
        FieldTitle => { en: "Title", nl: "Titel" },
        /// Form: goal.
        FieldGoal => { en: "Goal it serves", nl: "Doel waaraan het bijdraagt" },
        /// Form: no goal.
        FieldGoalNone => { en: "Choose a goal", nl: "Kies een doel" },
        /// Form: team.
        FieldTeam => { en: "Team", nl: "Team" },
        /// Form: practice.
        FieldPractice => { en: "What made the difference", nl: "Wat maakte het verschil" },
        /// Practice: reused article.
        PracticeReused => { en: "A reused article", nl: "Een hergebruikt artikel" },
        /// Practice: community answer.
        PracticeCommunity => { en: "A community answer", nl: "Een antwoord uit de community" },
        /// Practice: new article.
        PracticeNew => { en: "A new knowledge article", nl: "Een nieuw kennisartikel" },
        /// Practice: mentoring.
        PracticeMentoring => { en: "Mentoring", nl: "Mentoring" },
        /// Practice: other.
        PracticeOther => { en: "Something else", nl: "Iets anders" },
        /// Form: situation.
        FieldSituation => { en: "The situation before", nl: "De situatie ervoor" },
        /// Form: result.
        FieldResult => { en: "The result", nl: "Het resultaat" },
        /// Form: metrics legend.
        FieldMetrics => { en: "Numbers (baseline and now)", nl: "Cijfers (nulmeting en nu)" },
        /// Metric row legend.
        MetricN => { en: "Metric {n}", nl: "Meting {n}" },
        /// Metric label field.
        MetricLabel => { en: "What is measured", nl: "Wat wordt gemeten" },
        /// Metric unit field.
        MetricUnit => { en: "Unit", nl: "Eenheid" },
        /// Metric baseline field.
        MetricBaseline => { en: "Baseline", nl: "Nulmeting" },
        /// Metric current field.
        MetricCurrent => { en: "Now", nl: "Nu" },
        /// Metric direction field.
        MetricDirection => { en: "Better is", nl: "Beter is" },
        /// Higher is better.
        Higher => { en: "higher", nl: "hoger" },
        /// Lower is better.
        Lower => { en: "lower", nl: "lager" },
        /// Baseline date field.
        MetricBaselineDate => { en: "Baseline date", nl: "Datum nulmeting" },
        /// Current date field.
        MetricCurrentDate => { en: "Date now", nl: "Datum nu" },
        /// Add a metric row.
        AddMetric => { en: "Add a metric", nl: "Meting toevoegen" },
        /// Remove a metric row.
        RemoveMetric => { en: "Remove metric {n}", nl: "Meting {n} verwijderen" },
        /// Form: contributors.
        FieldContributors => { en: "Contributors (comma-separated)", nl: "Bijdragers (gescheiden door komma's)" },
        /// Form: quote.
        FieldQuote => { en: "A quote (optional)", nl: "Een citaat (optioneel)" },
        /// Form: evidence link.
        FieldEvidence => { en: "Link to evidence (optional)", nl: "Link naar bewijs (optioneel)" },
        /// Submit button.
        Submit => { en: "Submit story", nl: "Verhaal insturen" },
        /// After submitting.
        Thanks => { en: "Thank you! A moderator will review your story.", nl: "Dank je! Een moderator bekijkt je verhaal." },
        /// Sign-in note for the form.
        SignIn => { en: "Sign in to share a story.", nl: "Meld je aan om een verhaal te delen." },
        /// Ticker label.
        Latest => { en: "Latest success", nl: "Laatste succes" },
        /// Ticker: next.
        Next => { en: "Next story", nl: "Volgend verhaal" },
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
        assert_eq!(missing_translations::<Key>(Lang::En), Vec::<&str>::new());
    }
}
