//! Wire names of the contract's enums, in one place per enum.
//!
//! [`wire_names!`](crate::wire_names) gives an enum `ALL`, `as_str` (the
//! name serde writes, which a database stores too) and `FromStr`, so a
//! stored value reads back through the same table it was written with. A
//! name that is no variant is an [`UnknownName`], never a default.

use std::fmt;

/// A name that is no variant of the enum it was read as (a database value
/// or a path segment of another version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The enum's name (`Practice`).
    pub kind: &'static str,
    /// The name that was read.
    pub name: String,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.kind, self.name)
    }
}

impl std::error::Error for UnknownName {}

/// `wire_names!(Practice { ReusedArticle = "reused_article", ... })`:
/// `Practice::ALL`, `Practice::as_str` and `FromStr` for `Practice`. The
/// names must be serde's (a test of each enum checks they are).
#[macro_export]
macro_rules! wire_names {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The wire name (as in JSON and in the database).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::wire::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($ty::$variant),)+
                    _ => Err($crate::wire::UnknownName {
                        kind: stringify!($ty),
                        name: s.to_owned(),
                    }),
                }
            }
        }
    };
}
