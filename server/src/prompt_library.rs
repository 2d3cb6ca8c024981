//! The built-in prompt library (the `default` prompt set): 60 prompts in
//! English and Dutch, five for each pair of a Seek / Sense / Share stage and
//! a 70:20:10 activity (new experiences, practice, conversation, making
//! time to reflect). Ids are stable: journals and rotations refer to them.

use km_protocol::reflections::{Activity, Stage};

use crate::prompts::LibraryPrompt;
use Activity::{Conversation, Experience, Practice, Reflection};
use Stage::{Seek, Sense, Share};

macro_rules! p {
    ($id:literal, $stage:expr, $act:expr, $en:literal, $nl:literal) => {
        LibraryPrompt {
            id: $id,
            stage: $stage,
            activity: $act,
            en: $en,
            nl: $nl,
        }
    };
}

/// The default set.
pub const LIBRARY: &[LibraryPrompt] = &[
    p!(
        "seek-experience-1",
        Seek,
        Experience,
        "What did you try this week that you had never done before?",
        "Wat heb je deze week geprobeerd dat je nog nooit eerder had gedaan?"
    ),
    p!(
        "seek-experience-2",
        Seek,
        Experience,
        "Which customer or user moment taught you the most lately?",
        "Welk moment met een klant of gebruiker leerde je de laatste tijd het meest?"
    ),
    p!(
        "seek-experience-3",
        Seek,
        Experience,
        "Which new tool, place or team did you get to know recently?",
        "Welk nieuw hulpmiddel, welke nieuwe plek of welk nieuw team leerde je onlangs kennen?"
    ),
    p!(
        "seek-experience-4",
        Seek,
        Experience,
        "What is one thing you volunteered for that stretched you?",
        "Voor welke klus meldde je je aan die je uit je comfortzone haalde?"
    ),
    p!(
        "seek-experience-5",
        Seek,
        Experience,
        "Which problem landed on your desk that nobody had solved before?",
        "Welk probleem kwam op je bureau terecht dat nog niemand had opgelost?"
    ),
    p!(
        "seek-practice-1",
        Seek,
        Practice,
        "Which question kept coming back in your work, and where did you look for the answer?",
        "Welke vraag kwam steeds terug in je werk, en waar zocht je het antwoord?"
    ),
    p!(
        "seek-practice-2",
        Seek,
        Practice,
        "Which skill would make your daily work easier if you practised it for ten minutes a day?",
        "Welke vaardigheid zou je dagelijkse werk makkelijker maken als je er elke dag tien minuten op oefende?"
    ),
    p!(
        "seek-practice-3",
        Seek,
        Practice,
        "Where did you get stuck this week, and what did you read or watch to get unstuck?",
        "Waar liep je deze week vast, en wat las of bekeek je om weer verder te kunnen?"
    ),
    p!(
        "seek-practice-4",
        Seek,
        Practice,
        "Which routine task could you do differently as an experiment next week?",
        "Welke vaste taak zou je volgende week bij wijze van proef anders kunnen aanpakken?"
    ),
    p!(
        "seek-practice-5",
        Seek,
        Practice,
        "What do you look up again and again, and where could that knowledge live instead?",
        "Wat zoek je steeds opnieuw op, en waar zou die kennis beter kunnen staan?"
    ),
    p!(
        "seek-conversation-1",
        Seek,
        Conversation,
        "Who outside your team taught you something recently, and what was it?",
        "Wie buiten je team heeft je onlangs iets geleerd, en wat was het?"
    ),
    p!(
        "seek-conversation-2",
        Seek,
        Conversation,
        "Whom would you like to have a coffee with to learn how they work?",
        "Met wie zou je graag koffie drinken om te horen hoe zij werken?"
    ),
    p!(
        "seek-conversation-3",
        Seek,
        Conversation,
        "Which question did you not dare to ask this week? Who could you ask it?",
        "Welke vraag durfde je deze week niet te stellen? Aan wie zou je hem kunnen stellen?"
    ),
    p!(
        "seek-conversation-4",
        Seek,
        Conversation,
        "Which colleague knows something you would like to learn, and how could you ask them?",
        "Welke collega weet iets wat jij graag zou leren, en hoe zou je het kunnen vragen?"
    ),
    p!(
        "seek-conversation-5",
        Seek,
        Conversation,
        "What did a newcomer ask you that made you look at your work with fresh eyes?",
        "Wat vroeg een nieuwe collega je waardoor je met andere ogen naar je werk keek?"
    ),
    p!(
        "seek-reflection-1",
        Seek,
        Reflection,
        "What would you like to understand better a month from now?",
        "Wat wil je over een maand beter begrijpen?"
    ),
    p!(
        "seek-reflection-2",
        Seek,
        Reflection,
        "What are you curious about that has nothing to do with your current project?",
        "Waar ben je nieuwsgierig naar dat niets met je huidige project te maken heeft?"
    ),
    p!(
        "seek-reflection-3",
        Seek,
        Reflection,
        "Which trend in your field do you want to keep an eye on, and why?",
        "Welke ontwikkeling in je vakgebied wil je in de gaten houden, en waarom?"
    ),
    p!(
        "seek-reflection-4",
        Seek,
        Reflection,
        "What do you assume about your work that you have never checked?",
        "Wat neem je aan over je werk zonder dat je het ooit hebt nagegaan?"
    ),
    p!(
        "seek-reflection-5",
        Seek,
        Reflection,
        "If you had a free afternoon to learn something, what would you pick?",
        "Als je een vrije middag had om iets te leren, wat zou je dan kiezen?"
    ),
    p!(
        "sense-experience-1",
        Sense,
        Experience,
        "What surprised you this week, and what does it tell you?",
        "Wat verraste je deze week, en wat zegt dat je?"
    ),
    p!(
        "sense-experience-2",
        Sense,
        Experience,
        "What went better than expected, and why do you think it did?",
        "Wat ging beter dan verwacht, en waardoor kwam dat volgens jou?"
    ),
    p!(
        "sense-experience-3",
        Sense,
        Experience,
        "Which first attempt failed, and what did you learn from it?",
        "Welke eerste poging mislukte, en wat heb je ervan geleerd?"
    ),
    p!(
        "sense-experience-4",
        Sense,
        Experience,
        "What did a difficult moment this week show you about yourself?",
        "Wat liet een lastig moment van deze week je over jezelf zien?"
    ),
    p!(
        "sense-experience-5",
        Sense,
        Experience,
        "Which new situation felt uncomfortable at first, and how does it feel now?",
        "Welke nieuwe situatie voelde eerst ongemakkelijk, en hoe voelt die nu?"
    ),
    p!(
        "sense-practice-1",
        Sense,
        Practice,
        "Which task got easier with practice, and what changed in how you do it?",
        "Welke taak werd makkelijker door oefening, en wat veranderde er in je aanpak?"
    ),
    p!(
        "sense-practice-2",
        Sense,
        Practice,
        "Which mistake did you make this week, and what is the lesson in it?",
        "Welke fout maakte je deze week, en welke les zit erin?"
    ),
    p!(
        "sense-practice-3",
        Sense,
        Practice,
        "What do you now do automatically that once took you real effort?",
        "Wat doe je nu vanzelf dat je vroeger echt moeite kostte?"
    ),
    p!(
        "sense-practice-4",
        Sense,
        Practice,
        "Which habit in your work helps you most, and which one holds you back?",
        "Welke gewoonte in je werk helpt je het meest, en welke houdt je tegen?"
    ),
    p!(
        "sense-practice-5",
        Sense,
        Practice,
        "What pattern do you see in the problems you solved this month?",
        "Welk patroon zie je in de problemen die je deze maand oploste?"
    ),
    p!(
        "sense-conversation-1",
        Sense,
        Conversation,
        "Which conversation changed your mind about something?",
        "Welk gesprek heeft je ergens anders over laten denken?"
    ),
    p!(
        "sense-conversation-2",
        Sense,
        Conversation,
        "What feedback did you get recently, and what will you do with it?",
        "Welke feedback kreeg je onlangs, en wat ga je ermee doen?"
    ),
    p!(
        "sense-conversation-3",
        Sense,
        Conversation,
        "Where did you and a colleague see the same thing differently, and what did you learn from that?",
        "Waar keken jij en een collega verschillend naar hetzelfde, en wat leerde je daarvan?"
    ),
    p!(
        "sense-conversation-4",
        Sense,
        Conversation,
        "Which advice from someone else turned out to be right?",
        "Welk advies van een ander bleek te kloppen?"
    ),
    p!(
        "sense-conversation-5",
        Sense,
        Conversation,
        "What did you explain to someone this week, and what became clearer to you while doing so?",
        "Wat heb je deze week aan iemand uitgelegd, en wat werd jou daarbij zelf duidelijker?"
    ),
    p!(
        "sense-reflection-1",
        Sense,
        Reflection,
        "What went differently than you planned, and what would you do again?",
        "Wat liep anders dan gepland, en wat zou je opnieuw zo doen?"
    ),
    p!(
        "sense-reflection-2",
        Sense,
        Reflection,
        "What gave you energy this week, and what drained it?",
        "Wat gaf je deze week energie, en wat kostte je energie?"
    ),
    p!(
        "sense-reflection-3",
        Sense,
        Reflection,
        "Looking back on the last month, what are you proud of?",
        "Als je terugkijkt op de afgelopen maand, waar ben je trots op?"
    ),
    p!(
        "sense-reflection-4",
        Sense,
        Reflection,
        "What would you tell yourself of a year ago about your work?",
        "Wat zou je jezelf van een jaar geleden over je werk vertellen?"
    ),
    p!(
        "sense-reflection-5",
        Sense,
        Reflection,
        "Which decision are you still thinking about, and what would help you settle it?",
        "Over welke beslissing denk je nog na, en wat zou je helpen om de knoop door te hakken?"
    ),
    p!(
        "share-experience-1",
        Share,
        Experience,
        "What did you learn the hard way that could save a colleague time?",
        "Wat heb je met vallen en opstaan geleerd dat een collega tijd kan besparen?"
    ),
    p!(
        "share-experience-2",
        Share,
        Experience,
        "Which small success of this week deserves to be told?",
        "Welk klein succes van deze week verdient het om verteld te worden?"
    ),
    p!(
        "share-experience-3",
        Share,
        Experience,
        "What would you warn a colleague about before they start the same task?",
        "Waarvoor zou je een collega waarschuwen voordat die aan dezelfde klus begint?"
    ),
    p!(
        "share-experience-4",
        Share,
        Experience,
        "Which experience from outside work helped you at work?",
        "Welke ervaring van buiten je werk hielp je in je werk?"
    ),
    p!(
        "share-experience-5",
        Share,
        Experience,
        "Which result are you proud of, and who helped you get there?",
        "Op welk resultaat ben je trots, en wie hielp je daarbij?"
    ),
    p!(
        "share-practice-1",
        Share,
        Practice,
        "Which small trick in your daily work deserves a short how-to?",
        "Welk handigheidje in je dagelijkse werk verdient een korte uitleg?"
    ),
    p!(
        "share-practice-2",
        Share,
        Practice,
        "Which template, checklist or shortcut could others reuse?",
        "Welk sjabloon, welke checklist of sneltoets kunnen anderen ook gebruiken?"
    ),
    p!(
        "share-practice-3",
        Share,
        Practice,
        "What do you know now that belongs in the knowledge base?",
        "Wat weet je nu dat in de kennisbank thuishoort?"
    ),
    p!(
        "share-practice-4",
        Share,
        Practice,
        "Which step in your process could you demonstrate in five minutes?",
        "Welke stap uit je werkwijze zou je in vijf minuten kunnen voordoen?"
    ),
    p!(
        "share-practice-5",
        Share,
        Practice,
        "Which answer did you give more than twice this month? Write it down once.",
        "Welk antwoord gaf je deze maand vaker dan twee keer? Schrijf het één keer op."
    ),
    p!(
        "share-conversation-1",
        Share,
        Conversation,
        "Who would benefit from what you worked on this week? Tell them.",
        "Wie heeft er baat bij waar jij deze week aan werkte? Vertel het ze."
    ),
    p!(
        "share-conversation-2",
        Share,
        Conversation,
        "Which question would you like to ask the community right now?",
        "Welke vraag zou je nu aan de community willen stellen?"
    ),
    p!(
        "share-conversation-3",
        Share,
        Conversation,
        "Whom could you thank for something they taught you?",
        "Wie zou je kunnen bedanken voor iets wat je van ze leerde?"
    ),
    p!(
        "share-conversation-4",
        Share,
        Conversation,
        "Which colleagues should meet each other because they work on the same thing?",
        "Welke collega's moeten elkaar eens spreken omdat ze met hetzelfde bezig zijn?"
    ),
    p!(
        "share-conversation-5",
        Share,
        Conversation,
        "What did you hear in a meeting that the rest of the organisation should know?",
        "Wat hoorde je in een overleg dat de rest van de organisatie zou moeten weten?"
    ),
    p!(
        "share-reflection-1",
        Share,
        Reflection,
        "If you worked out loud about one thing this week, what would it be?",
        "Als je deze week over één ding hardop werkte, wat zou het zijn?"
    ),
    p!(
        "share-reflection-2",
        Share,
        Reflection,
        "What are you working on that nobody knows about yet?",
        "Waar werk je aan waar nog niemand van weet?"
    ),
    p!(
        "share-reflection-3",
        Share,
        Reflection,
        "Which lesson of this quarter would you put in a short story for the story board?",
        "Welke les van dit kwartaal zou je in een kort verhaal voor het verhalenbord zetten?"
    ),
    p!(
        "share-reflection-4",
        Share,
        Reflection,
        "What would you like colleagues to ask you about?",
        "Waarover zouden collega's je mogen aanspreken?"
    ),
    p!(
        "share-reflection-5",
        Share,
        Reflection,
        "Which unfinished idea could others help you with if you shared it now?",
        "Bij welk onaf idee kunnen anderen je helpen als je het nu deelt?"
    ),
];
