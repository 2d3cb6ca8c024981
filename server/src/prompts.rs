//! Reflection prompts: the library entry type (the built-in set itself is
//! in [`crate::prompt_library`]), the person's time zone and cadence period,
//! and the rotation that shows every prompt of a set once before any
//! repeats.
//!
//! Everything here is plain computation (no database), so the period and
//! rotation rules are unit-tested below across week boundaries, year ends,
//! daylight-saving changes and time zones.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};
use km_protocol::reflections::{Activity, Cadence, Prompt, Stage};
use sha2::{Digest, Sha256};

pub use crate::prompt_library::LIBRARY;

/// One prompt of the library, in both languages.
#[derive(Debug, Clone, Copy)]
pub struct LibraryPrompt {
    /// Stable id (`seek-experience-1`).
    pub id: &'static str,
    /// Seek, sense or share.
    pub stage: Stage,
    /// Which 70:20:10 activity it invites.
    pub activity: Activity,
    /// English text.
    pub en: &'static str,
    /// Dutch text.
    pub nl: &'static str,
}

/// A prompt of any set (built-in or added by an admin), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetPrompt {
    /// Prompt id.
    pub id: String,
    /// Seek, sense or share.
    pub stage: Stage,
    /// The 70:20:10 activity.
    pub activity: Activity,
    /// English text.
    pub en: String,
    /// Dutch text.
    pub nl: String,
}

impl SetPrompt {
    /// The prompt in `lang` (`nl…` is Dutch, anything else English).
    pub fn localized(&self, lang: &str) -> Prompt {
        Prompt {
            id: self.id.clone(),
            text: if lang.starts_with("nl") {
                &self.nl
            } else {
                &self.en
            }
            .clone(),
            stage: self.stage,
            activity: self.activity,
        }
    }
}

impl From<&LibraryPrompt> for SetPrompt {
    fn from(p: &LibraryPrompt) -> Self {
        SetPrompt {
            id: p.id.to_owned(),
            stage: p.stage,
            activity: p.activity,
            en: p.en.to_owned(),
            nl: p.nl.to_owned(),
        }
    }
}

/// A built-in prompt by id.
pub fn by_id(id: &str) -> Option<&'static LibraryPrompt> {
    LIBRARY.iter().find(|p| p.id == id)
}

/// Parses a time zone as the widget sends it: an IANA name
/// (`Europe/Amsterdam`, `UTC`) or a fixed UTC offset (`+02:00`, `-0530`,
/// `UTC+2`, `GMT-03:00`). None when it is neither.
pub fn parse_zone(s: &str) -> Option<TimeZone> {
    let s = s.trim();
    if s.is_empty() || s.len() > km_protocol::reflections::TIME_ZONE_MAX_CHARS {
        return None;
    }
    let offset = s
        .strip_prefix("UTC")
        .or_else(|| s.strip_prefix("GMT"))
        .unwrap_or(s);
    if offset.is_empty() || s == "Z" {
        return Some(TimeZone::UTC);
    }
    if let Some(secs) = parse_offset(offset) {
        return Offset::from_seconds(secs).ok().map(TimeZone::fixed);
    }
    TimeZone::get(s).ok()
}

/// `+02:00`, `-0530`, `+2` as seconds east of UTC (at most ±18 hours).
fn parse_offset(s: &str) -> Option<i32> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &s[1..];
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let all_digits =
        |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(h) || !all_digits(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// A cadence period: its name and its bounds in epoch ms (start inclusive,
/// end exclusive), computed in the person's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `2026-11-22` (daily), `2026-W47` (weekly, ISO week), or the start
    /// date of a weekday period (`2026-11-20`).
    pub name: String,
    /// First instant, epoch ms.
    pub start_ms: i64,
    /// First instant after the period, epoch ms.
    pub end_ms: i64,
}

/// The period that contains `now_ms` for a cadence in `tz`. `weekday`
/// (1 = Monday … 7 = Sunday) is the first day of a `weekday` period
/// (Monday when absent). Days follow the zone's calendar, so a period
/// across a daylight-saving change is 23 or 25 hours longer or shorter.
pub fn period(now_ms: i64, cadence: Cadence, weekday: Option<u8>, tz: &TimeZone) -> Period {
    let now = Timestamp::from_millisecond(now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    let date = now.to_zoned(tz.clone()).date();
    let dow = i64::from(date.weekday().to_monday_one_offset());
    let (name, start, days) = match cadence {
        Cadence::Daily => (date.to_string(), date, 1),
        Cadence::Weekly => {
            let iso = date.iso_week_date();
            let monday = back(date, dow - 1);
            (format!("{}-W{:02}", iso.year(), iso.week()), monday, 7)
        }
        Cadence::Weekday => {
            let first = i64::from(weekday.unwrap_or(1).clamp(1, 7));
            let start = back(date, (dow - first).rem_euclid(7));
            (start.to_string(), start, 7)
        }
    };
    let ms = |d: Date| {
        d.to_zoned(tz.clone())
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(now_ms)
    };
    let end = start.checked_add(days.days()).unwrap_or(start);
    Period {
        name,
        start_ms: ms(start),
        end_ms: ms(end),
    }
}

fn back(d: Date, days: i64) -> Date {
    d.checked_sub(days.days()).unwrap_or(d)
}

/// The next prompt of a rotation: one of `candidates` not `used` yet in
/// this round, chosen stably from `(person, period)` so a reload shows the
/// same one. When every candidate has been used the round is over: the
/// result says so (`true`), and the choice is made among all candidates
/// except `avoid` (the prompt shown last), so no prompt repeats back to
/// back. None only for an empty set.
pub fn draw<'a>(
    person: &str,
    period: &str,
    candidates: &'a [SetPrompt],
    used: &[String],
    avoid: Option<&str>,
) -> Option<(&'a SetPrompt, bool)> {
    let fresh: Vec<&SetPrompt> = candidates
        .iter()
        .filter(|p| !used.contains(&p.id))
        .collect();
    let (pool, new_round) = if fresh.is_empty() {
        let rest: Vec<&SetPrompt> = candidates
            .iter()
            .filter(|p| Some(p.id.as_str()) != avoid)
            .collect();
        if rest.is_empty() {
            (candidates.iter().collect(), true)
        } else {
            (rest, true)
        }
    } else {
        (fresh, false)
    };
    if pool.is_empty() {
        return None;
    }
    let digest = Sha256::digest(format!("{person}\n{period}\n{}", used.len()).as_bytes());
    let mut n = [0u8; 8];
    n.copy_from_slice(&digest[..8]);
    let i = (u64::from_be_bytes(n) % pool.len() as u64) as usize;
    Some((pool[i], new_round))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    fn zone(s: &str) -> TimeZone {
        parse_zone(s).unwrap_or_else(|| panic!("zone {s}"))
    }

    fn library() -> Vec<SetPrompt> {
        LIBRARY.iter().map(SetPrompt::from).collect()
    }

    #[test]
    fn weekly_periods_follow_iso_weeks_across_the_year_end() {
        let utc = TimeZone::UTC;
        // 2026-12-31 is a Thursday of ISO week 53 of 2026; 2027-01-03 is its Sunday.
        let a = period(ms("2026-12-31T10:00:00Z"), Cadence::Weekly, None, &utc);
        let b = period(ms("2027-01-03T23:59:00Z"), Cadence::Weekly, None, &utc);
        let c = period(ms("2027-01-04T00:00:00Z"), Cadence::Weekly, None, &utc);
        assert_eq!(a.name, "2026-W53");
        assert_eq!(a, b);
        assert_eq!(c.name, "2027-W01");
        assert_eq!(a.end_ms - a.start_ms, 7 * 86_400_000);
        assert_eq!(a.start_ms, ms("2026-12-28T00:00:00Z"));
        assert_eq!(a.end_ms, c.start_ms);
    }

    #[test]
    fn the_week_changes_at_local_midnight_not_utc_midnight() {
        // Sunday 23:30 in UTC is already Monday in Amsterdam (UTC+1 in winter)
        // and still Sunday in New York.
        let t = ms("2026-11-22T23:30:00Z");
        let ams = period(t, Cadence::Weekly, None, &zone("Europe/Amsterdam"));
        let utc = period(t, Cadence::Weekly, None, &zone("UTC"));
        let ny = period(t, Cadence::Weekly, None, &zone("America/New_York"));
        assert_eq!(ams.name, "2026-W48");
        assert_eq!(utc.name, "2026-W47");
        assert_eq!(ny.name, "2026-W47");
        assert_eq!(ams.start_ms, ms("2026-11-22T23:00:00Z"));
        // Monday 02:00 in Tokyo is Sunday 17:00 UTC.
        let tokyo = period(
            ms("2026-11-22T17:00:00Z"),
            Cadence::Daily,
            None,
            &zone("Asia/Tokyo"),
        );
        assert_eq!(tokyo.name, "2026-11-23");
        assert_eq!(tokyo.start_ms, ms("2026-11-22T15:00:00Z"));
    }

    #[test]
    fn fixed_offsets_work_like_zones() {
        let t = ms("2026-11-22T23:30:00Z");
        for z in ["+01:00", "UTC+1", "GMT+01:00", "+0100"] {
            assert_eq!(
                period(t, Cadence::Daily, None, &zone(z)).name,
                "2026-11-23",
                "{z}"
            );
        }
        assert_eq!(
            period(t, Cadence::Daily, None, &zone("-05:30")).name,
            "2026-11-22"
        );
        for bad in ["Mars/Olympus", "+25:00", "+1:2:3", "", "UTC+x"] {
            assert!(parse_zone(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_day_across_daylight_saving_is_23_or_25_hours() {
        let ams = zone("Europe/Amsterdam");
        let spring = period(ms("2027-03-28T12:00:00Z"), Cadence::Daily, None, &ams);
        let autumn = period(ms("2026-10-25T12:00:00Z"), Cadence::Daily, None, &ams);
        assert_eq!(spring.end_ms - spring.start_ms, 23 * 3_600_000);
        assert_eq!(autumn.end_ms - autumn.start_ms, 25 * 3_600_000);
    }

    #[test]
    fn weekday_periods_start_on_the_chosen_day() {
        let utc = TimeZone::UTC;
        // Friday (5): Thursday 2026-11-26 belongs to the period from Friday the 20th.
        let thu = period(ms("2026-11-26T12:00:00Z"), Cadence::Weekday, Some(5), &utc);
        let fri = period(ms("2026-11-27T00:00:00Z"), Cadence::Weekday, Some(5), &utc);
        assert_eq!(thu.name, "2026-11-20");
        assert_eq!(fri.name, "2026-11-27");
        assert_eq!(thu.end_ms, fri.start_ms);
        // Sunday (7) across the year end, in Amsterdam.
        let ams = zone("Europe/Amsterdam");
        let p = period(ms("2027-01-02T22:00:00Z"), Cadence::Weekday, Some(7), &ams);
        assert_eq!(p.name, "2026-12-27");
        let q = period(ms("2027-01-02T23:30:00Z"), Cadence::Weekday, Some(7), &ams);
        assert_eq!(q.name, "2027-01-03", "Sunday started at local midnight");
    }

    #[test]
    fn a_rotation_shows_every_prompt_once_before_any_repeats() {
        let set = library();
        let mut used: Vec<String> = Vec::new();
        for week in 0..set.len() {
            let (p, new_round) = draw("u-anna", &format!("w{week}"), &set, &used, None).unwrap();
            assert!(!new_round);
            assert!(!used.contains(&p.id), "{} repeated in week {week}", p.id);
            used.push(p.id.clone());
        }
        assert_eq!(used.iter().collect::<HashSet<_>>().len(), set.len());
        // The set is used up: a new round starts, never with the last prompt.
        let last = used.last().cloned();
        let (p, new_round) = draw("u-anna", "next", &set, &used, last.as_deref()).unwrap();
        assert!(new_round);
        assert_ne!(Some(&p.id), last.as_ref());
    }

    #[test]
    fn the_choice_is_stable_within_a_period_and_varies_between_people() {
        let set = library();
        let a = draw("u-anna", "2026-W47", &set, &[], None).unwrap().0;
        assert_eq!(a, draw("u-anna", "2026-W47", &set, &[], None).unwrap().0);
        let distinct: HashSet<_> = (0..40)
            .map(|i| {
                &draw(&format!("u-{i}"), "2026-W47", &set, &[], None)
                    .unwrap()
                    .0
                    .id
            })
            .collect();
        assert!(
            distinct.len() > 10,
            "only {} distinct prompts",
            distinct.len()
        );
        assert!(draw("u", "p", &[], &[], None).is_none());
        let one = vec![set[0].clone()];
        let used = vec![set[0].id.clone()];
        assert_eq!(
            draw("u", "p", &one, &used, Some(&set[0].id)).unwrap().0.id,
            set[0].id,
            "a one-prompt set repeats its prompt"
        );
    }

    #[test]
    fn the_library_has_60_prompts_in_both_languages_over_every_stage_and_activity() {
        assert!(LIBRARY.len() >= 60);
        let ids: HashSet<_> = LIBRARY.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), LIBRARY.len());
        for p in LIBRARY {
            assert!(p.en.ends_with('?') || p.en.ends_with('.'), "{}", p.id);
            assert!(p.nl.ends_with('?') || p.nl.ends_with('.'), "{}", p.id);
            assert_ne!(p.en, p.nl, "{}", p.id);
        }
        for stage in [Stage::Seek, Stage::Sense, Stage::Share] {
            for act in [
                Activity::Experience,
                Activity::Practice,
                Activity::Conversation,
                Activity::Reflection,
            ] {
                let n = LIBRARY
                    .iter()
                    .filter(|p| p.stage == stage && p.activity == act)
                    .count();
                assert!(n >= 5, "{stage:?}/{act:?} has {n}");
            }
        }
        let en: HashSet<_> = LIBRARY.iter().map(|p| p.en).collect();
        let nl: HashSet<_> = LIBRARY.iter().map(|p| p.nl).collect();
        assert_eq!((en.len(), nl.len()), (LIBRARY.len(), LIBRARY.len()));
    }
}
