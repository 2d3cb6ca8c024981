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

    /// The most a tag of mine can add to anyone's score.
    fn bound(&self, key: &str) -> f64 {
        let w = self.weight(key);
        match self.my_level.get(key) {
            Some(Level::Learn | Level::Teach) => 1.5 * w,
            _ => w,
        }
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

/// Where [`top_k`] reads the inverted index: the database, or a map in the
/// tests.
pub trait Postings {
    /// What reading can fail with.
    type Error;
    /// Everyone (but me) whose profile I may see and who has `tag`, with
    /// their level: a whole posting list.
    fn list(
        &mut self,
        tag: &str,
    ) -> impl Future<Output = Result<Vec<(String, Level)>, Self::Error>>;
    /// The passions among `tags` of the people `ids` (people I may see):
    /// `(person, tag, level)`.
    fn probe(
        &mut self,
        ids: &[String],
        tags: &[String],
    ) -> impl Future<Output = Result<Vec<(String, String, Level)>, Self::Error>>;
}

/// The first `k` of [`rank`] over everyone who shares one of `mine`,
/// without reading every posting of common tags (MaxScore pruning).
///
/// My tags are read rarest (heaviest) first. Once the k-th best score
/// already found is above the most the unread tags could add together,
/// nobody who has only unread tags can reach the first `k`: the rest of
/// the common tags' postings are never read. The people already seen are
/// completed by looking up only their own passions, and only those whose
/// best possible score still reaches the k-th. The result is exactly the
/// first `k` of the full ranking (the bounds are strict, so ties resolve by
/// id as in [`rank`]); `more` tells whether more people may follow.
pub async fn top_k<P: Postings>(
    index: &mut P,
    mine: &[(String, Level)],
    n: usize,
    df: &HashMap<String, usize>,
    connected: &HashSet<String>,
    k: usize,
) -> Result<(Vec<Ranked>, bool), P::Error> {
    let scorer = Scorer::new(mine, n, df);
    let mut order: Vec<&str> = mine.iter().map(|(t, _)| t.as_str()).collect();
    order.sort_by(|a, b| scorer.bound(b).total_cmp(&scorer.bound(a)).then(a.cmp(b)));
    // rest[i]: the most the tags order[i..] can add together.
    let mut rest = vec![0.0; order.len() + 1];
    for i in (0..order.len()).rev() {
        rest[i] = rest[i + 1] + scorer.bound(order[i]);
    }
    // Everyone seen, with the score of what was read of them so far
    // (before the connected penalty).
    let mut seen: HashMap<String, (Candidate, f64)> = HashMap::new();
    let mut read = order.len();
    for (i, tag) in order.iter().enumerate() {
        for (id, level) in index.list(tag).await? {
            let gain = scorer.gain(tag, level);
            let (c, partial) = seen.entry(id.clone()).or_insert_with(|| {
                let c = Candidate {
                    connected: connected.contains(&id),
                    id,
                    passions: Vec::new(),
                };
                (c, 0.0)
            });
            c.passions.push(((*tag).to_owned(), level));
            *partial += gain;
        }
        if i + 1 < order.len() && kth(&seen, k).is_some_and(|t| t > rest[i + 1] + SLACK) {
            read = i + 1;
            break;
        }
    }
    if read == order.len() {
        let candidates = seen.into_values().map(|(c, _)| c).collect();
        let mut ranked = rank(mine, candidates, n, df);
        let more = ranked.len() > k;
        ranked.truncate(k);
        return Ok((ranked, more));
    }
    // Complete the people who can still reach the k-th score, best first:
    // each completed score can raise the k-th, which rules out more of the
    // rest before their passions are looked up.
    let unread: Vec<String> = order[read..].iter().map(|t| (*t).to_owned()).collect();
    let mut queue: Vec<(f64, String)> = seen
        .iter()
        .map(|(id, (_, partial))| (*partial, id.clone()))
        .collect();
    queue.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut completed = Vec::new();
    for batch in queue.chunks(PROBE_BATCH) {
        let threshold = kth(&seen, k).unwrap_or(0.0);
        if batch[0].0 + rest[read] + SLACK < threshold {
            break;
        }
        let ids: Vec<String> = batch.iter().map(|(_, id)| id.clone()).collect();
        for (id, tag, level) in index.probe(&ids, &unread).await? {
            if let Some((c, partial)) = seen.get_mut(&id) {
                *partial += scorer.gain(&tag, level);
                c.passions.push((tag, level));
            }
        }
        completed.extend(ids);
    }
    let candidates = completed
        .iter()
        .filter_map(|id| seen.remove(id).map(|(c, _)| c))
        .collect();
    let mut ranked = rank(mine, candidates, n, df);
    ranked.truncate(k);
    // Unread postings may hold more people.
    Ok((ranked, true))
}

/// Room for rounding: partial sums add the same weights in another order
/// than the final scores, so bounds are compared with this margin (pruning
/// a little less, never wrongly).
const SLACK: f64 = 1e-9;

/// How many people one lookup of passions asks for.
const PROBE_BATCH: usize = 100;

/// The k-th best score the seen people have at least (the connected
/// penalty applied), if k of them were seen.
fn kth(seen: &HashMap<String, (Candidate, f64)>, k: usize) -> Option<f64> {
    if k == 0 || seen.len() < k {
        return None;
    }
    let mut lows: Vec<f64> = seen
        .values()
        .map(|(c, partial)| if c.connected { partial / 2.0 } else { *partial })
        .collect();
    let (_, kth, _) = lows.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
    Some(*kth)
}

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

    /// An inverted index in memory, counting what [`top_k`] reads.
    struct Memory {
        people: Vec<(String, Vec<(String, Level)>)>,
        postings_read: usize,
    }

    impl Postings for Memory {
        type Error = std::convert::Infallible;

        async fn list(&mut self, tag: &str) -> Result<Vec<(String, Level)>, Self::Error> {
            let list: Vec<_> = self
                .people
                .iter()
                .filter_map(|(id, ps)| {
                    ps.iter()
                        .find(|(t, _)| t == tag)
                        .map(|(_, l)| (id.clone(), *l))
                })
                .collect();
            self.postings_read += list.len();
            Ok(list)
        }

        async fn probe(
            &mut self,
            ids: &[String],
            tags: &[String],
        ) -> Result<Vec<(String, String, Level)>, Self::Error> {
            let mut out = Vec::new();
            for (id, ps) in self.people.iter().filter(|(id, _)| ids.contains(id)) {
                for (t, l) in ps.iter().filter(|(t, _)| tags.contains(t)) {
                    out.push((id.clone(), t.clone(), *l));
                }
            }
            self.postings_read += out.len();
            Ok(out)
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

    #[tokio::test]
    async fn pruned_top_k_equals_the_full_ranking_and_reads_less() {
        let mut rng = Lcg(7);
        let mut pruned_reads = 0;
        let mut full_reads = 0;
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
            full_reads += everyone.iter().map(|c| c.passions.len()).sum::<usize>();
            let full = rank(&mine, everyone, n, &df);
            for k in [1, 5, 20] {
                let mut index = Memory {
                    people: others.clone(),
                    postings_read: 0,
                };
                let (top, more) = top_k(&mut index, &mine, n, &df, &connected, k)
                    .await
                    .unwrap();
                let expected: Vec<_> = full.iter().take(k).collect();
                assert_eq!(
                    top.iter().collect::<Vec<_>>(),
                    expected,
                    "round {round}, k {k}"
                );
                assert!(
                    more || full.len() <= k,
                    "round {round}, k {k}: more is false"
                );
                if k == 20 {
                    pruned_reads += index.postings_read;
                }
            }
        }
        // The pruning must pay even in this small world (the benchmark
        // measures it at scale): probes never re-read a read tag, so
        // without any pruning both counts would be equal.
        assert!(
            pruned_reads * 10 < full_reads * 9,
            "pruned read {pruned_reads} postings, the full ranking {full_reads}"
        );
    }
}
