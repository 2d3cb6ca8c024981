//! The passion-match ranking, as a pure function over an inverted index's
//! answer: the candidates that share at least one of my passions (the
//! database finds them through the `passions_by_tag` index, never by
//! scanning every profile) and how many visible profiles have each tag.
//!
//! A shared passion weighs its IDF, `ln(1 + N / df)`: a rare shared passion
//! counts more than a common one. A teach/learn pair on a tag adds half the
//! tag's weight. People I already connected with keep half their score.
//! Equal scores are ordered by person id, so the ranking is deterministic.

use std::collections::HashMap;

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

/// Ranks `candidates` for a person with passions `mine`; `df` counts the
/// visible profiles per tag and `n` all visible profiles.
pub fn rank(
    mine: &[(String, Level)],
    candidates: Vec<Candidate>,
    n: usize,
    df: &HashMap<String, usize>,
) -> Vec<Ranked> {
    let my_level: HashMap<&str, Level> = mine.iter().map(|(k, l)| (k.as_str(), *l)).collect();
    let weight = |key: &str| idf(n, df.get(key).copied().unwrap_or(1));
    let mut out: Vec<Ranked> = candidates
        .into_iter()
        .filter_map(|c| {
            let mut parts = ScoreParts::default();
            let mut shared = Vec::new();
            let mut complementary = Vec::new();
            for (key, level) in &c.passions {
                let Some(mine) = my_level.get(key.as_str()) else {
                    continue;
                };
                let w = weight(key);
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
            shared.sort_by(|a, b| weight(&b.0).total_cmp(&weight(&a.0)).then(a.0.cmp(&b.0)));
            complementary.sort_by(|a, b| a.0.cmp(&b.0));
            Some(Ranked {
                score: total - parts.connected_penalty,
                id: c.id,
                parts,
                shared,
                complementary,
                connected: c.connected,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    out
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
}
