//! The passion-match ranking, as a pure function over an inverted index's
//! answer: the candidates that share at least one of my passions (the
//! database finds them through the `passions_by_tag` index, never by
//! scanning every profile) and how many visible profiles have each tag.
//!
//! A shared passion weighs its IDF, `ln(1 + N / df)`: a rare shared passion
//! counts more than a common one. A teach/learn pair on a tag adds half the
//! tag's weight. People I already connected with keep half their score.
//! Equal scores are ordered by person id, so the ranking is deterministic.

use std::collections::{HashMap, HashSet};

use km_protocol::matches::{Direction, ScoreParts};
use km_protocol::passions::Level;

/// A colleague who shares at least one passion with me.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Person id.
    pub id: String,
    /// Their passions among my tags: (tag key, level).
    pub passions: Vec<(String, Level)>,
    /// Whether we already connected (an accepted intro).
    pub connected: bool,
}

/// A ranked candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Person id.
    pub id: String,
    /// The total score.
    pub score: f64,
    /// Its parts.
    pub parts: ScoreParts,
    /// Shared tags with their level, heaviest (rarest) first.
    pub shared: Vec<(String, Level)>,
    /// Teach/learn pairs.
    pub complementary: Vec<(String, Direction)>,
    /// Whether we already connected.
    pub connected: bool,
}

/// The IDF weight of a tag that `df` of `n` visible profiles have.
pub fn idf(n: usize, df: usize) -> f64 {
    (1.0 + n as f64 / df.max(1) as f64).ln()
}

/// Who teaches whom on one tag, if anyone.
pub fn complement(mine: Level, theirs: Level) -> Option<Direction> {
    match (mine, theirs) {
        (Level::Learn, Level::Teach) => Some(Direction::TheyTeach),
        (Level::Teach, Level::Learn) => Some(Direction::ITeach),
        _ => None,
    }
}

/// Scores candidates for one person: their tags' weights and levels.
struct Scorer<'a> {
    my_level: HashMap<&'a str, Level>,
    n: usize,
    df: &'a HashMap<String, usize>,
}

impl<'a> Scorer<'a> {
    fn new(mine: &'a [(String, Level)], n: usize, df: &'a HashMap<String, usize>) -> Self {
        Scorer {
            my_level: mine.iter().map(|(k, l)| (k.as_str(), *l)).collect(),
            n,
            df,
        }
    }

    fn weight(&self, key: &str) -> f64 {
        idf(self.n, self.df.get(key).copied().unwrap_or(1))
    }

    /// What one passion of someone else adds to their score (0 for a tag
    /// that is not mine).
    fn gain(&self, key: &str, theirs: Level) -> f64 {
        match self.my_level.get(key) {
            Some(mine) if complement(*mine, theirs).is_some() => 1.5 * self.weight(key),
            Some(_) => self.weight(key),
            None => 0.0,
        }
    }

    /// The score of `c`, whose `passions` are all of theirs among mine.
    fn score(&self, c: &Candidate) -> Option<Ranked> {
        let mut parts = ScoreParts::default();
        let mut shared = Vec::new();
        let mut complementary = Vec::new();
        // Summed in tag order, so that a score does not depend on the order
        // its postings were read in (floating-point addition does).
        let mut passions: Vec<&(String, Level)> = c.passions.iter().collect();
        passions.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, level) in passions {
            let Some(mine) = self.my_level.get(key.as_str()) else {
                continue;
            };
            let w = self.weight(key);
            parts.overlap += w;
            shared.push((key.clone(), *level));
            if let Some(d) = complement(*mine, *level) {
                parts.complement += w / 2.0;
                complementary.push((key.clone(), d));
            }
        }
        if shared.is_empty() {
            return None;
        }
        let total = parts.overlap + parts.complement;
        if c.connected {
            parts.connected_penalty = total / 2.0;
        }
        shared.sort_by(|a, b| {
            self.weight(&b.0)
                .total_cmp(&self.weight(&a.0))
                .then(a.0.cmp(&b.0))
        });
        complementary.sort_by(|a, b| a.0.cmp(&b.0));
        Some(Ranked {
            score: total - parts.connected_penalty,
            id: c.id.clone(),
            parts,
            shared,
            complementary,
            connected: c.connected,
        })
    }
}

/// Ranks `candidates` for a person with passions `mine`; `df` counts the
/// visible profiles per tag and `n` all visible profiles.
pub fn rank(
    mine: &[(String, Level)],
    candidates: Vec<Candidate>,
    n: usize,
    df: &HashMap<String, usize>,
) -> Vec<Ranked> {
    let scorer = Scorer::new(mine, n, df);
    let mut out: Vec<Ranked> = candidates.iter().filter_map(|c| scorer.score(c)).collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    out
}

/// What [`top_k`] reads: an inverted index whose people are numbered by
/// slot (dense, so scores accumulate in an array instead of a map).
pub trait Postings {
    /// How many slots there are (every slot is below this).
    fn slots(&self) -> usize;
    /// The slot of person `id`, if they have one.
    fn slot(&self, id: &str) -> Option<u32>;
    /// Calls `f` with the slot and level of everyone (but me) who has
    /// `tag` and whose profile I may see.
    fn each(&self, tag: &str, f: impl FnMut(u32, Level));
    /// The person in `slot`: id and all their passions.
    fn person(&self, slot: u32) -> (&str, &[(String, Level)]);
}

/// The first `k` of [`rank`] over everyone who shares one of `mine` (only
/// those with passion `only`, if given), and whether more follow.
///
/// Term at a time: the posting list of each of my tags adds its gain to a
/// dense array of scores (a few nanoseconds per posting, no allocation), so
/// even the most common tag's list is cheap to read whole. The people whose
/// summed score reaches the k-th are then scored exactly by [`rank`] (a
/// margin covers the different order of the sums), so the result is
/// exactly the first `k` of the full ranking, ties by id included.
pub fn top_k<P: Postings>(
    index: &P,
    mine: &[(String, Level)],
    n: usize,
    df: &HashMap<String, usize>,
    connected: &HashSet<String>,
    only: Option<&str>,
    k: usize,
) -> (Vec<Ranked>, bool) {
    let scorer = Scorer::new(mine, n, df);
    let mut score = vec![0.0f64; index.slots()];
    let mut touched: Vec<u32> = Vec::new();
    for (tag, _) in mine {
        index.each(tag, |slot, level| {
            let s = &mut score[slot as usize];
            if *s == 0.0 {
                touched.push(slot);
            }
            // Every gain is positive, so 0 means "not seen yet".
            *s += scorer.gain(tag, level).max(f64::MIN_POSITIVE);
        });
    }
    if let Some(tag) = only {
        touched.retain(|s| index.person(*s).1.iter().any(|(t, _)| t == tag));
    }
    let connected: HashSet<u32> = connected.iter().filter_map(|id| index.slot(id)).collect();
    let low = |slot: u32| {
        let s = score[slot as usize];
        if connected.contains(&slot) {
            s / 2.0
        } else {
            s
        }
    };
    let more = touched.len() > k;
    if more && k > 0 {
        let mut lows: Vec<f64> = touched.iter().map(|s| low(*s)).collect();
        let (_, kth, _) = lows.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
        let kth = *kth - SLACK;
        touched.retain(|s| low(*s) >= kth);
    } else if k == 0 {
        touched.clear();
    }
    let mut my_tags: Vec<&str> = mine.iter().map(|(t, _)| t.as_str()).collect();
    my_tags.sort_unstable();
    let candidates = touched
        .iter()
        .map(|slot| {
            let (id, passions) = index.person(*slot);
            Candidate {
                id: id.to_owned(),
                passions: passions
                    .iter()
                    .filter(|(t, _)| my_tags.binary_search(&t.as_str()).is_ok())
                    .cloned()
                    .collect(),
                connected: connected.contains(slot),
            }
        })
        .collect();
    let mut ranked = rank(mine, candidates, n, df);
    ranked.truncate(k);
    (ranked, more)
}

/// Room for rounding: the summed scores add the same weights in another
/// order than [`rank`], so the k-th is compared with this margin (keeping
/// a few more people to score exactly, never fewer).
const SLACK: f64 = 1e-9;

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, tags: &[(&str, Level)]) -> Candidate {
        Candidate {
            id: id.into(),
            passions: tags.iter().map(|(k, l)| (k.to_string(), *l)).collect(),
            connected: false,
        }
    }

    fn df(pairs: &[(&str, usize)]) -> HashMap<String, usize> {
        pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    fn ids(r: &[Ranked]) -> Vec<&str> {
        r.iter().map(|x| x.id.as_str()).collect()
    }

    #[test]
    fn a_rare_shared_passion_outweighs_a_common_one() {
        let mine = vec![
            ("excel".into(), Level::Love),
            ("origami".into(), Level::Love),
        ];
        let r = rank(
            &mine,
            vec![
                cand("a", &[("excel", Level::Love)]),
                cand("b", &[("origami", Level::Love)]),
            ],
            1000,
            &df(&[("excel", 600), ("origami", 3)]),
        );
        assert_eq!(ids(&r), ["b", "a"]);
        assert!(r[0].parts.overlap > 4.0 * r[1].parts.overlap);
    }

    #[test]
    fn teach_learn_pairs_earn_a_bonus_in_both_directions() {
        let mine = vec![
            ("k8s".into(), Level::Learn),
            ("design".into(), Level::Teach),
        ];
        let weights = df(&[("k8s", 10), ("design", 10)]);
        let r = rank(
            &mine,
            vec![
                cand("love", &[("k8s", Level::Love)]),
                cand("teacher", &[("k8s", Level::Teach)]),
                cand("learner", &[("design", Level::Learn)]),
            ],
            100,
            &weights,
        );
        assert_eq!(ids(&r), ["learner", "teacher", "love"]);
        assert_eq!(
            r[1].complementary,
            vec![("k8s".to_string(), Direction::TheyTeach)]
        );
        assert_eq!(
            r[0].complementary,
            vec![("design".to_string(), Direction::ITeach)]
        );
        assert!((r[1].parts.complement - idf(100, 10) / 2.0).abs() < 1e-9);
        assert_eq!(r[2].parts.complement, 0.0);
    }

    #[test]
    fn people_i_connected_with_move_down_but_stay() {
        let mine = vec![("rust".into(), Level::Love)];
        let mut known = cand("a", &[("rust", Level::Love)]);
        known.connected = true;
        let r = rank(
            &mine,
            vec![known, cand("b", &[("rust", Level::Love)])],
            50,
            &df(&[("rust", 5)]),
        );
        assert_eq!(ids(&r), ["b", "a"]);
        assert!(r[1].connected && r[1].parts.connected_penalty > 0.0);
        assert!((r[1].score - r[0].score / 2.0).abs() < 1e-9);
    }

    #[test]
    fn ties_are_broken_by_id_and_strangers_are_left_out() {
        let mine = vec![("rust".into(), Level::Love)];
        let r = rank(
            &mine,
            vec![
                cand("c", &[("rust", Level::Curious)]),
                cand("a", &[("rust", Level::Love)]),
                cand("z", &[("golf", Level::Love)]),
                cand("b", &[("rust", Level::Teach)]),
            ],
            50,
            &df(&[("rust", 5)]),
        );
        assert_eq!(ids(&r), ["a", "b", "c"]);
    }

    #[test]
    fn shared_passions_are_listed_rarest_first() {
        let mine = vec![("a".into(), Level::Love), ("b".into(), Level::Love)];
        let r = rank(
            &mine,
            vec![cand("x", &[("a", Level::Love), ("b", Level::Love)])],
            100,
            &df(&[("a", 50), ("b", 2)]),
        );
        let keys: Vec<&str> = r[0].shared.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
    }

    /// An inverted index in memory: the slot is the position in `people`.
    struct Memory {
        people: Vec<(String, Vec<(String, Level)>)>,
    }

    impl Postings for Memory {
        fn slots(&self) -> usize {
            self.people.len()
        }

        fn slot(&self, id: &str) -> Option<u32> {
            self.people
                .iter()
                .position(|(p, _)| p == id)
                .map(|s| s as u32)
        }

        fn each(&self, tag: &str, mut f: impl FnMut(u32, Level)) {
            for (slot, (_, ps)) in self.people.iter().enumerate() {
                if let Some((_, l)) = ps.iter().find(|(t, _)| t == tag) {
                    f(slot as u32, *l);
                }
            }
        }

        fn person(&self, slot: u32) -> (&str, &[(String, Level)]) {
            let (id, ps) = &self.people[slot as usize];
            (id, ps)
        }
    }

    /// A small deterministic generator (no dependency for one test).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    const LEVELS: [Level; 4] = [Level::Love, Level::Curious, Level::Teach, Level::Learn];

    /// Zipf-like tags: tag 0 is on most profiles, most of the 300 tags on
    /// a few.
    fn population(rng: &mut Lcg, people: usize) -> Vec<(String, Vec<(String, Level)>)> {
        (0..people)
            .map(|p| {
                let mut ps: Vec<(String, Level)> = Vec::new();
                for _ in 0..3 + rng.below(8) {
                    let a = 1 + rng.below(300);
                    let b = 1 + rng.below(a);
                    let t = format!("t{}", rng.below(b));
                    if !ps.iter().any(|(x, _)| *x == t) {
                        ps.push((t, LEVELS[rng.below(4)]));
                    }
                }
                (format!("p{p:04}"), ps)
            })
            .collect()
    }

    #[test]
    fn top_k_equals_the_full_ranking() {
        let mut rng = Lcg(7);
        for round in 0..60 {
            let people = population(&mut rng, 1000);
            let n = people.len();
            let mut df: HashMap<String, usize> = HashMap::new();
            for (_, ps) in &people {
                for (t, _) in ps {
                    *df.entry(t.clone()).or_default() += 1;
                }
            }
            let (me, mine) = people[round].clone();
            let others: Vec<_> = people.into_iter().filter(|(id, _)| *id != me).collect();
            let connected: HashSet<String> = others
                .iter()
                .filter(|_| rng.below(10) == 0)
                .map(|(id, _)| id.clone())
                .collect();
            let everyone: Vec<Candidate> = others
                .iter()
                .map(|(id, ps)| Candidate {
                    id: id.clone(),
                    passions: ps
                        .iter()
                        .filter(|(t, _)| mine.iter().any(|(m, _)| m == t))
                        .cloned()
                        .collect(),
                    connected: connected.contains(id),
                })
                .collect();
            let full = rank(&mine, everyone, n, &df);
            let index = Memory { people: others };
            for k in [0, 1, 5, 20] {
                let (top, more) = top_k(&index, &mine, n, &df, &connected, None, k);
                let expected: Vec<_> = full.iter().take(k).collect();
                assert_eq!(
                    top.iter().collect::<Vec<_>>(),
                    expected,
                    "round {round}, k {k}"
                );
                assert_eq!(more, full.len() > k, "round {round}, k {k}");
            }
            // Only the people with one of my passions.
            if let Some((tag, _)) = mine.first() {
                let with: Vec<_> = full
                    .iter()
                    .filter(|r| r.shared.iter().any(|(t, _)| t == tag))
                    .collect();
                let (top, more) = top_k(&index, &mine, n, &df, &connected, Some(tag), 5);
                assert_eq!(top.iter().collect::<Vec<_>>(), with[..with.len().min(5)]);
                assert_eq!(more, with.len() > 5, "round {round}, only {tag}");
            }
        }
    }
}
