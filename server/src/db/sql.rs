//! Statements whose shape depends on the request (an `IN` list of n
//! values), built with typed values. Placeholders are numbered `$1, $2, ...`,
//! which SQLite and PostgreSQL both accept (sqlx's `QueryBuilder<Any>`
//! writes `?`, which PostgreSQL refuses).

use std::fmt::Write;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::{Any, Arguments, Encode, Executor, Type};

/// A statement being built: text with its values bound in order.
#[derive(Default)]
pub struct Sql<'q> {
    text: String,
    args: AnyArguments<'q>,
    error: Option<BoxDynError>,
}

impl<'q> Sql<'q> {
    /// A statement starting with `text`.
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            ..Sql::default()
        }
    }

    /// Appends `text` as it is.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Binds `value` to the next number, whose placeholder the text
    /// already has (`$1` in a fixed part of the statement).
    pub fn arg<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert(e);
        }
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        self.arg(value);
        let _ = write!(self.text, "${}", self.args.len());
        self
    }

    /// Appends `($a, $b, ...)` for an `IN` list; `(NULL)` for no values,
    /// which matches nothing.
    pub fn bind_list<T: 'q + Encode<'q, Any> + Type<Any>>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        self.text.push('(');
        let mut first = true;
        for v in values {
            if !first {
                self.text.push_str(", ");
            }
            first = false;
            self.bind(v);
        }
        if first {
            self.text.push_str("NULL");
        }
        self.text.push(')');
        self
    }

    /// Runs the statement and returns its rows.
    pub async fn fetch_all<'c, E>(self, executor: E) -> Result<Vec<AnyRow>, sqlx::Error>
    where
        E: Executor<'c, Database = Any>,
    {
        if let Some(e) = self.error {
            return Err(sqlx::Error::Encode(e));
        }
        sqlx::query_with(&self.text, self.args)
            .fetch_all(executor)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut q = Sql::new("SELECT 1 FROM t WHERE a = ");
        q.bind("x").push(" AND b IN ").bind_list([1i64, 2, 3]);
        q.push(" AND c IN ").bind_list(Vec::<String>::new());
        assert_eq!(
            q.text,
            "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3, $4) AND c IN (NULL)"
        );
        let mut fixed = Sql::new("SELECT 1 FROM t WHERE a = $1 AND b = $2 AND c IN ");
        fixed.arg("x").arg(2i64).bind_list(["y"]);
        assert_eq!(fixed.text.rsplit(' ').next(), Some("($3)"));
        assert_eq!((q.args.len(), fixed.args.len()), (4, 3));
    }
}
