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
        /// Editor: passions field label.
        PassionsLabel => { en: "Passions", nl: "Passies" },
        /// Editor: the level list's legend.
        LevelsLegend => { en: "How you relate to each passion", nl: "Hoe je je tot elke passie verhoudt" },
        /// Editor: level select label for one passion.
        LevelOf => { en: "Level for {tag}", nl: "Niveau voor {tag}" },
        /// Level choice: love.
        ChoiceLove => { en: "I love this", nl: "Ik vind dit geweldig" },
        /// Level choice: curious.
        ChoiceCurious => { en: "I'm curious", nl: "Ik ben nieuwsgierig" },
        /// Level choice: teach.
        ChoiceTeach => { en: "I can teach it", nl: "Ik kan het uitleggen" },
        /// Level choice: learn.
        ChoiceLearn => { en: "I want to learn it", nl: "Ik wil het leren" },
        /// Editor: why label.
        WhyLabel => { en: "Why I care (one line)", nl: "Waarom het me raakt (één regel)" },
        /// Characters used of the maximum.
        Counter => { en: "{n} of {max} characters", nl: "{n} van {max} tekens" },
        /// Editor: open to chat switch.
        OpenToChatSwitch => { en: "Open to a coffee chat", nl: "In voor een koffiegesprek" },
        /// Editor: visibility legend.
        VisibilityLegend => { en: "Who sees my passions", nl: "Wie mijn passies ziet" },
        /// Visibility: organization.
        VisibleOrganization => { en: "The whole organization", nl: "De hele organisatie" },
        /// Visibility: department.
        VisibleDepartment => { en: "My department only", nl: "Alleen mijn afdeling" },
        /// Visibility: hidden.
        VisibleHidden => { en: "Nobody (hidden)", nl: "Niemand (verborgen)" },
        /// Delete my profile button.
        DeleteProfile => { en: "Delete my profile", nl: "Mijn profiel verwijderen" },
        /// Delete confirmation question.
        DeleteConfirm => { en: "Delete your passions, circle memberships and intros? This cannot be undone.", nl: "Je passies, kringlidmaatschappen en introducties verwijderen? Dit kan niet ongedaan worden." },
        /// Confirm delete.
        DeleteYes => { en: "Yes, delete", nl: "Ja, verwijderen" },
        /// Cancel.
        Cancel => { en: "Cancel", nl: "Annuleren" },
        /// After deleting.
        Deleted => { en: "Your profile was deleted.", nl: "Je profiel is verwijderd." },
        /// Matches heading.
        MatchesTitle => { en: "Your matches", nl: "Jouw matches" },
        /// Compact heading.
        CompactTitle => { en: "People who share your passions", nl: "Mensen met jouw passies" },
        /// No matches.
        MatchesEmpty => { en: "No matches yet. Add passions to find colleagues who share them.", nl: "Nog geen matches. Voeg passies toe om collega's te vinden die ze delen." },
        /// Filter label.
        FilterLabel => { en: "Show matches for", nl: "Matches tonen voor" },
        /// Filter: all passions.
        FilterAll => { en: "All my passions", nl: "Al mijn passies" },
        /// Shared passions label.
        SharedLabel => { en: "Passions you share", nl: "Passies die jullie delen" },
        /// Complementary pair: they teach.
        PairTheyTeach => { en: "{name} can teach {tag}; you want to learn it", nl: "{name} kan {tag} uitleggen; jij wilt het leren" },
        /// Complementary pair: I teach.
        PairITeach => { en: "You can teach {tag}; {name} wants to learn it", nl: "Jij kunt {tag} uitleggen; {name} wil het leren" },
        /// Reason: both love.
        ReasonBothLove => { en: "you both love {tags}", nl: "jullie houden allebei van {tags}" },
        /// Reason: both care.
        ReasonBothCare => { en: "you both care about {tags}", nl: "jullie delen een passie voor {tags}" },
        /// Reason: they teach.
        ReasonTheyTeach => { en: "{name} can teach {tag}, which you want to learn", nl: "{name} kan {tag} uitleggen, wat jij wilt leren" },
        /// Reason: I teach.
        ReasonITeach => { en: "you can teach {tag}, which {name} wants to learn", nl: "jij kunt {tag} uitleggen, wat {name} wil leren" },
        /// List conjunction.
        And => { en: "and", nl: "en" },
        /// Why this match disclosure.
        WhyMatch => { en: "Why this match", nl: "Waarom deze match" },
        /// Score part: overlap.
        PartOverlap => { en: "Shared passions (rarer ones weigh more)", nl: "Gedeelde passies (zeldzamere wegen zwaarder)" },
        /// Score part: complement.
        PartComplement => { en: "Teach/learn bonus", nl: "Bonus voor uitleggen/leren" },
        /// Score part: connected.
        PartConnected => { en: "Already connected", nl: "Al in contact" },
        /// Score total.
        PartScore => { en: "Score", nl: "Score" },
        /// Badge: connected.
        Connected => { en: "Connected", nl: "In contact" },
        /// Show people passionate about a tag (button label for screen readers).
        TagPageOf => { en: "People passionate about {tag}", nl: "Mensen met passie voor {tag}" },
        /// Back from the tag page.
        BackToMatches => { en: "Back to matches", nl: "Terug naar matches" },
        /// Say hi button.
        SayHi => { en: "Say hi", nl: "Zeg hallo" },
        /// Say hi to name (dialog title).
        SayHiTo => { en: "Say hi to {name}", nl: "Zeg hallo tegen {name}" },
        /// Message label.
        MessageLabel => { en: "Message (optional)", nl: "Bericht (optioneel)" },
        /// Send.
        Send => { en: "Send", nl: "Versturen" },
        /// Sending.
        Sending => { en: "Sending…", nl: "Versturen…" },
        /// Intro sent.
        IntroSent => { en: "Intro sent to {name}.", nl: "Introductie verstuurd naar {name}." },
        /// Already said hi.
        IntroDuplicate => { en: "You already said hi to this colleague.", nl: "Je hebt al hallo gezegd tegen deze collega." },
        /// Daily limit.
        IntroLimit => { en: "You reached today's limit of intros. Try again tomorrow.", nl: "Je hebt het maximum aantal introducties voor vandaag bereikt. Probeer het morgen opnieuw." },
        /// Intro status of an outgoing intro: pending.
        StatusPending => { en: "Waiting for an answer", nl: "Wacht op antwoord" },
        /// On the card of someone who said hi to me and waits for my answer.
        HiReceived => { en: "{name} said hi to you: answer under Intros", nl: "{name} zegt hallo: antwoord bij Introducties" },
        /// Accepted.
        StatusAccepted => { en: "Accepted", nl: "Geaccepteerd" },
        /// Dismissed.
        StatusDismissed => { en: "Dismissed", nl: "Afgewezen" },
        /// Intros heading.
        IntrosTitle => { en: "Intros", nl: "Introducties" },
        /// Incoming heading.
        Incoming => { en: "Received", nl: "Ontvangen" },
        /// Outgoing heading.
        Outgoing => { en: "Sent", nl: "Verstuurd" },
        /// No intros.
        IntrosEmpty => { en: "No intros yet.", nl: "Nog geen introducties." },
        /// From someone.
        IntroFrom => { en: "{name} said hi", nl: "{name} zegt hallo" },
        /// To someone.
        IntroTo => { en: "You said hi to {name}", nl: "Jij zei hallo tegen {name}" },
        /// Accept.
        Accept => { en: "Accept", nl: "Accepteren" },
        /// Dismiss.
        Dismiss => { en: "Dismiss", nl: "Afwijzen" },
        /// Delete one intro.
        DeleteIntro => { en: "Delete", nl: "Verwijderen" },
        /// After deleting an intro.
        IntroDeleted => { en: "Intro deleted.", nl: "Introductie verwijderd." },
        /// Contact label.
        Contact => { en: "Contact", nl: "Contact" },
        /// Accepted announcement.
        AcceptedAnnounce => { en: "Accepted. You can now contact {name}.", nl: "Geaccepteerd. Je kunt nu contact opnemen met {name}." },
        /// Circles heading.
        CirclesTitle => { en: "Circles", nl: "Kringen" },
        /// Circles intro.
        CirclesHint => { en: "A passion shared by three or more people open to a coffee chat.", nl: "Een passie van drie of meer mensen die in zijn voor een koffiegesprek." },
        /// No circles.
        CirclesEmpty => { en: "No circles yet.", nl: "Nog geen kringen." },
        /// Circle title.
        CirclePeople => { en: "{n} people love {tag}", nl: "{n} mensen houden van {tag}" },
        /// Members count, one.
        MembersOne => { en: "{n} member", nl: "{n} lid" },
        /// Members count, other.
        MembersOther => { en: "{n} members", nl: "{n} leden" },
        /// Join.
        Join => { en: "Join", nl: "Meedoen" },
        /// Leave.
        Leave => { en: "Leave", nl: "Verlaten" },
        /// Joined badge.
        Joined => { en: "You are a member", nl: "Je bent lid" },
        /// Show members.
        ShowMembers => { en: "Members", nl: "Leden" },
        /// Join hint: passion.
        JoinNeedsPassion => { en: "Add this passion to join its circle.", nl: "Voeg deze passie toe om mee te doen." },
        /// Join hint: chat.
        JoinNeedsChat => { en: "Be open to a coffee chat to join.", nl: "Zet 'in voor een koffiegesprek' aan om mee te doen." },
        /// Join hint: hidden.
        JoinNeedsVisible => { en: "A hidden profile cannot join circles.", nl: "Een verborgen profiel kan niet meedoen aan kringen." },
        /// No members yet.
        MembersEmpty => { en: "Nobody joined yet.", nl: "Nog niemand doet mee." },
        /// Compact: edit my passions link.
        EditPassions => { en: "Edit my passions", nl: "Mijn passies bewerken" },
        /// Compact: hide the editor.
        DoneEditing => { en: "Done", nl: "Klaar" },
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
