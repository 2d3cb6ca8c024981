//! Wire names of the contract's enums in one place: `wire_names!` gives
//! an enum `as_str` and `FromStr` from one table, which must agree with the
//! enum's serde names (the tests below check each table). Servers store the same
//! names, so a value read back that names no variant is an
//! [`UnknownValue`] error, never a default.

use std::fmt;

/// A text that names no variant of the enum `kind` (`"loved"` for a
/// `Level`, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The enum's name.
    pub kind: &'static str,
    /// The text that was read.
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a {}", self.value, self.kind)
    }
}

impl std::error::Error for UnknownValue {}

/// `wire_names!(Level { Love => "love", ... })`: `Level::as_str` and
/// `impl FromStr for Level` (an [`UnknownValue`] for any other text), plus
/// `Level::ALL`, every variant in table order.
macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The wire name (as serde writes it, and as servers store it).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($ty::$variant),)+
                    _ => Err($crate::UnknownValue {
                        kind: stringify!($ty),
                        value: s.to_owned(),
                    }),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::matches::IntroStatus;
    use crate::passions::{Level, Visibility};

    /// `as_str` and `FromStr` round-trip, agree with serde, and refuse
    /// anything else.
    fn agrees<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + std::str::FromStr,
        T::Err: std::fmt::Debug,
    {
        for v in all {
            let name = as_str(*v);
            assert_eq!(serde_json::to_value(v).unwrap(), name, "{v:?}");
            assert_eq!(name.parse::<T>().unwrap(), *v);
        }
    }

    #[test]
    fn wire_names_agree_with_serde() {
        agrees(Level::ALL, Level::as_str);
        agrees(Visibility::ALL, Visibility::as_str);
        agrees(IntroStatus::ALL, IntroStatus::as_str);
    }

    #[test]
    fn an_unknown_value_is_refused_not_defaulted() {
        // Regression (issue 11 item 2): an unknown level read back from the
        // database became `Love`, an unknown visibility `Hidden`.
        let e = "loved".parse::<Level>().unwrap_err();
        assert_eq!((e.kind, e.value.as_str()), ("Level", "loved"));
        assert!("".parse::<Visibility>().is_err());
        assert!("Organization".parse::<Visibility>().is_err());
        assert!("deleted".parse::<IntroStatus>().is_err());
        assert_eq!(e.to_string(), "\"loved\" is not a Level");
    }
}
