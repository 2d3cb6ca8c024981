//! Assertions of the contract tests. Each failure says what was expected
//! and what came back, so a report from a backend team's CI can be read
//! without the test's source.

use std::fmt::Display;

use serde::Serialize;

/// Fails unless `cond`, with "expected `expected`, got `got`" (`got` as
/// JSON, or as it is when it is text).
pub(crate) fn ensure(
    cond: bool,
    expected: impl Display,
    got: impl Serialize,
) -> Result<(), String> {
    if cond {
        return Ok(());
    }
    let got = match serde_json::to_value(&got) {
        Ok(serde_json::Value::String(s)) => s,
        _ => shown(&got),
    };
    Err(format!("expected {expected}, got {got}"))
}

/// Fails unless `actual == expected`: "`what`: expected X, got Y", both as
/// JSON (`what` may be empty when the values say it all).
pub(crate) fn expect_eq<A, B>(actual: A, expected: B, what: impl Display) -> Result<(), String>
where
    A: PartialEq<B> + Serialize,
    B: Serialize,
{
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "{}expected {}, got {}",
            prefix(what),
            shown(&expected),
            shown(&actual)
        ))
    }
}

/// Fails when `actual == unwanted`: "`what`: expected anything but X, got X".
pub(crate) fn expect_ne<A, B>(actual: A, unwanted: B, what: impl Display) -> Result<(), String>
where
    A: PartialEq<B> + Serialize,
    B: Serialize,
{
    if actual == unwanted {
        Err(format!(
            "{}expected anything but {}, got {}",
            prefix(what),
            shown(&unwanted),
            shown(&actual)
        ))
    } else {
        Ok(())
    }
}

/// `what: `, or nothing when `what` is empty.
fn prefix(what: impl Display) -> String {
    let what = what.to_string();
    if what.is_empty() {
        what
    } else {
        format!("{what}: ")
    }
}

/// A value as compact JSON (strings quoted, so an empty one is visible).
fn shown(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| format!("<{e}>"))
}
