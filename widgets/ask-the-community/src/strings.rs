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
        /// An urgent question past its date, unsolved.
        WasNeededBy => { en: "was needed by {date}", nl: "was nodig vóór {date}" },
        /// Solved badge.
        Solved => { en: "Solved", nl: "Opgelost" },
        /// The asker of an anonymous question.
        Anonymous => { en: "Anonymous", nl: "Anoniem" },
        /// Who asked, before the name.
        AskedBy => { en: "Asked by", nl: "Gevraagd door" },
        /// Label of a question's tag list.
        Tags => { en: "Tags", nl: "Tags" },
        /// Opens the ask form.
        AskButton => { en: "Ask a question", nl: "Stel een vraag" },
        /// Heading of the ask form.
        AskHeading => { en: "Your question", nl: "Je vraag" },
        /// Label of the title field.
        TitleLabel => { en: "Question", nl: "Vraag" },
        /// Hint under the title field.
        TitleHint => { en: "One sentence, 10 to 150 characters.", nl: "Eén zin, 10 tot 150 tekens." },
        /// Label of the details field.
        BodyLabel => { en: "Details (optional)", nl: "Toelichting (optioneel)" },
        /// Hint under the details field.
        BodyHint => { en: "You can use **bold**, *italic*, `code`, lists and [links](https://…).", nl: "Je kunt **vet**, *cursief*, `code`, lijsten en [links](https://…) gebruiken." },
        /// Above similar questions while typing a title.
        SimilarHeading => { en: "Already asked? These look similar:", nl: "Al gevraagd? Deze lijken erop:" },
        /// Announced when similar questions appear.
        SimilarFound => { en: "{n} similar questions found", nl: "{n} vergelijkbare vragen gevonden" },
        /// Legend of the urgency choice.
        UrgencyLegend => { en: "How urgent is it?", nl: "Hoe dringend is het?" },
        /// Normal urgency.
        UrgencyNormal => { en: "Whenever someone can", nl: "Wanneer iemand tijd heeft" },
        /// Urgent, with a date.
        UrgencyUrgent => { en: "Urgent: I need it by a date", nl: "Dringend: ik heb het nodig vóór een datum" },
        /// Label of the need-by date.
        NeedByLabel => { en: "Need it by", nl: "Nodig vóór" },
        /// The anonymous checkbox.
        AnonymousLabel => { en: "Ask anonymously (nobody sees who asked, moderators neither; your answers here are anonymous too)", nl: "Anoniem vragen (niemand ziet wie het vroeg, ook moderatoren niet; je antwoorden hier zijn ook anoniem)" },
        /// Submit of the ask form.
        Submit => { en: "Post question", nl: "Vraag plaatsen" },
        /// Announced after asking.
        Asked => { en: "Your question was posted.", nl: "Je vraag is geplaatst." },
        /// Closes a form.
        Cancel => { en: "Cancel", nl: "Annuleren" },
        /// Shown to signed-out people where a write needs an identity.
        SignIn => { en: "Sign in to ask, answer or vote.", nl: "Log in om te vragen, te antwoorden of te stemmen." },
        /// Label of the search box.
        SearchLabel => { en: "Search questions", nl: "Zoek in vragen" },
        /// The search button.
        SearchButton => { en: "Search", nl: "Zoeken" },
        /// Label of the list choice.
        ShowLabel => { en: "Show", nl: "Toon" },
        /// Newest first.
        SortNewest => { en: "Newest", nl: "Nieuwste" },
        /// Unanswered.
        SortUnanswered => { en: "Unanswered", nl: "Onbeantwoord" },
        /// Urgent, nearest date first.
        SortUrgent => { en: "Urgent first", nl: "Dringend eerst" },
        /// Most active.
        SortActive => { en: "Most active", nl: "Meest actief" },
        /// My questions.
        FilterMine => { en: "My questions", nl: "Mijn vragen" },
        /// Followed questions.
        FilterFollowing => { en: "Questions I follow", nl: "Vragen die ik volg" },
        /// Invitations.
        FilterInvited => { en: "Invited to answer", nl: "Uitgenodigd om te antwoorden" },
        /// Back to the list.
        Back => { en: "All questions", nl: "Alle vragen" },
        /// Heading of the answers.
        AnswersHeading => { en: "Answers", nl: "Antwoorden" },
        /// No answers yet.
        NoAnswers => { en: "No answers yet. Yours could be the first.", nl: "Nog geen antwoorden. Het jouwe kan het eerste zijn." },
        /// Label of the answer field.
        AnswerLabel => { en: "Your answer", nl: "Jouw antwoord" },
        /// The answer field on the asker's own question.
        AddDetails => { en: "Add details", nl: "Details toevoegen" },
        /// Its button.
        PostDetails => { en: "Post details", nl: "Details plaatsen" },
        /// Posts an answer.
        PostAnswer => { en: "Post answer", nl: "Antwoord plaatsen" },
        /// Announced after answering.
        Answered => { en: "Your answer was posted.", nl: "Je antwoord is geplaatst." },
        /// Announced when an answer arrives while reading.
        NewAnswer => { en: "A new answer arrived.", nl: "Er is een nieuw antwoord." },
        /// Accepts an answer.
        Accept => { en: "Accept this answer", nl: "Accepteer dit antwoord" },
        /// Takes the acceptance back.
        Unaccept => { en: "Undo accept", nl: "Acceptatie intrekken" },
        /// Badge of the accepted answer.
        Accepted => { en: "Accepted answer", nl: "Geaccepteerd antwoord" },
        /// Announced after accepting.
        AcceptedAnnounce => { en: "Answer accepted. The question is solved.", nl: "Antwoord geaccepteerd. De vraag is opgelost." },
        /// The vote button's label.
        Vote => { en: "Upvote", nl: "Stem omhoog" },
        /// Vote count, one.
        VotesOne => { en: "{n} vote", nl: "{n} stem" },
        /// Vote count, other.
        VotesOther => { en: "{n} votes", nl: "{n} stemmen" },
        /// The follow button.
        Follow => { en: "Follow", nl: "Volgen" },
        /// The follow button, pressed.
        Following => { en: "Following", nl: "Volgend" },
        /// Announced after following.
        Followed => { en: "You follow this question.", nl: "Je volgt deze vraag." },
        /// Announced after unfollowing.
        Unfollowed => { en: "You no longer follow this question.", nl: "Je volgt deze vraag niet meer." },
        /// Note for an invitee.
        InvitedNote => { en: "You were invited to answer this question.", nl: "Je bent uitgenodigd om deze vraag te beantwoorden." },
        /// Heading of the suggested colleagues.
        PeopleHeading => { en: "Colleagues who know about this", nl: "Collega's die hier verstand van hebben" },
        /// Nobody suggested.
        NoPeople => { en: "No colleague's profile matches these tags yet.", nl: "Nog geen profiel van een collega past bij deze tags." },
        /// What a colleague can teach.
        CanTeach => { en: "can teach {tags}", nl: "kan {tags} uitleggen" },
        /// What a colleague loves.
        Loves => { en: "loves {tags}", nl: "houdt van {tags}" },
        /// Invites a colleague.
        Invite => { en: "Invite", nl: "Uitnodigen" },
        /// An invited colleague.
        InvitedState => { en: "Invited", nl: "Uitgenodigd" },
        /// Announced after inviting.
        InvitedAnnounce => { en: "{name} is invited.", nl: "{name} is uitgenodigd." },
        /// A duplicate's note.
        DuplicateOf => { en: "Closed as a duplicate.", nl: "Gesloten als dubbele vraag." },
        /// Opens the original of a duplicate.
        OpenOriginal => { en: "Open the original question", nl: "Open de oorspronkelijke vraag" },
        /// After an edited post's time.
        Edited => { en: "edited", nl: "bewerkt" },
        /// Opens the editor of my answer.
        Edit => { en: "Edit", nl: "Bewerken" },
        /// Label of the answer editor.
        EditLabel => { en: "Edit your answer", nl: "Je antwoord bewerken" },
        /// Saves an edit.
        SaveEdit => { en: "Save changes", nl: "Wijzigingen opslaan" },
        /// A moderator hides an answer.
        Hide => { en: "Hide", nl: "Verbergen" },
        /// Announced after hiding.
        HiddenAnnounce => { en: "The answer is hidden.", nl: "Het antwoord is verborgen." },
        /// Who answered, before the name.
        AnsweredBy => { en: "Answer by", nl: "Antwoord van" },
        /// Opens the author's editor of the question.
        EditQuestion => { en: "Edit question", nl: "Vraag bewerken" },
        /// Heading of the question editor.
        EditQuestionHeading => { en: "Edit your question", nl: "Je vraag bewerken" },
        /// Announced after the author's edit.
        QuestionSaved => { en: "Your question was saved.", nl: "Je vraag is opgeslagen." },
        /// Label of the tools for the author and moderators.
        ManageLabel => { en: "Manage this question", nl: "Deze vraag beheren" },
        /// A moderator hides the question.
        HideQuestion => { en: "Hide question", nl: "Vraag verbergen" },
        /// A moderator shows a hidden question again.
        ShowQuestion => { en: "Show question", nl: "Vraag weer tonen" },
        /// Note on a hidden question (only moderators see it).
        QuestionHidden => { en: "Hidden: only moderators see this question.", nl: "Verborgen: alleen moderatoren zien deze vraag." },
        /// Announced after showing the question again.
        QuestionShown => { en: "The question is visible again.", nl: "De vraag is weer zichtbaar." },
        /// Opens the duplicate picker.
        CloseDuplicate => { en: "Close as duplicate", nl: "Sluiten als dubbele vraag" },
        /// Reopens a question closed as a duplicate.
        Reopen => { en: "Reopen", nl: "Heropenen" },
        /// Announced after reopening.
        Reopened => { en: "The question is open again.", nl: "De vraag is weer open." },
        /// Heading of the duplicate picker.
        DuplicateHeading => { en: "Which question is the original?", nl: "Welke vraag is het origineel?" },
        /// Label of the duplicate picker's search.
        DuplicateSearch => { en: "Search for the original question", nl: "Zoek de oorspronkelijke vraag" },
        /// The duplicate picker found nothing.
        NoCandidates => { en: "No matching questions found.", nl: "Geen passende vragen gevonden." },
        /// Opens the tag editor.
        Retag => { en: "Retag", nl: "Tags wijzigen" },
        /// Heading of the tag editor.
        RetagHeading => { en: "Change the tags", nl: "De tags wijzigen" },
        /// Announced after retagging.
        Retagged => { en: "The tags were changed.", nl: "De tags zijn gewijzigd." },
        /// Heading of the change log.
        ChangesHeading => { en: "History", nl: "Geschiedenis" },
        /// Change log: asked.
        ChangeAsked => { en: "asked the question", nl: "stelde de vraag" },
        /// Change log: answered.
        ChangeAnswered => { en: "answered", nl: "antwoordde" },
        /// Change log: the author edited the question.
        ChangeEdited => { en: "edited the question", nl: "bewerkte de vraag" },
        /// Change log: an answer edited.
        ChangeAnswerEdited => { en: "edited an answer", nl: "bewerkte een antwoord" },
        /// Change log: accepted.
        ChangeAccepted => { en: "accepted an answer", nl: "accepteerde een antwoord" },
        /// Change log: acceptance taken back.
        ChangeUnaccepted => { en: "took back the accepted answer", nl: "trok de acceptatie in" },
        /// Change log: hidden.
        ChangeHidden => { en: "hid the question", nl: "verborg de vraag" },
        /// Change log: shown again.
        ChangeShown => { en: "showed the question again", nl: "toonde de vraag weer" },
        /// Change log: an answer hidden.
        ChangeAnswerHidden => { en: "hid an answer", nl: "verborg een antwoord" },
        /// Change log: an answer shown again.
        ChangeAnswerShown => { en: "showed an answer again", nl: "toonde een antwoord weer" },
        /// Change log: closed as a duplicate.
        ChangeDuplicate => { en: "closed it as a duplicate", nl: "sloot hem als dubbele vraag" },
        /// Change log: reopened.
        ChangeReopened => { en: "reopened it", nl: "heropende hem" },
        /// Change log: retagged.
        ChangeRetagged => { en: "changed the tags", nl: "wijzigde de tags" },
        /// Change log: invited a colleague.
        ChangeInvited => { en: "invited a colleague to answer", nl: "nodigde een collega uit om te antwoorden" },
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
