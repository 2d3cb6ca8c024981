//! A statement built piece by piece with typed binds, for queries whose
//! conditions depend on the request (filters, `IN` lists). It writes `$n`
//! placeholders, which SQLite and PostgreSQL both read: sqlx's own
//! `QueryBuilder<Any>` writes `?`, which PostgreSQL does not.

use std::str::FromStr;

use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow};
use sqlx::{Any, AnyConnection, Arguments, Encode, Row, Type};

/// A statement and its arguments, in the order of its placeholders.
#[derive(Default)]
pub struct Sql<'q> {
    text: String,
    args: AnyArguments<'q>,
    error: Option<sqlx::error::BoxDynError>,
}

impl<'q> Sql<'q> {
    /// A statement starting with `text`.
    pub fn new(text: impl Into<String>) -> Sql<'q> {
        Sql {
            text: text.into(),
            ..Sql::default()
        }
    }

    /// Appends SQL text (never a value: values go through [`Sql::bind`]).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert(e);
        }
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `$a, $b, ...`, one placeholder per value (an `IN` list).
    pub fn bind_list<T: 'q + Encode<'q, Any> + Type<Any>>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self
    }

    fn parts(self) -> Result<(String, AnyArguments<'q>), sqlx::Error> {
        match self.error {
            Some(e) => Err(sqlx::Error::Encode(e)),
            None => Ok((self.text, self.args)),
        }
    }

    /// Runs the statement and returns its rows.
    pub async fn fetch_all(self, conn: &mut AnyConnection) -> Result<Vec<AnyRow>, sqlx::Error> {
        let (text, args) = self.parts()?;
        sqlx::query_with(&text, args).fetch_all(conn).await
    }

    /// Runs the statement (a write).
    pub async fn execute(self, conn: &mut AnyConnection) -> Result<AnyQueryResult, sqlx::Error> {
        let (text, args) = self.parts()?;
        sqlx::query_with(&text, args).execute(conn).await
    }
}

/// A column holding an enum's wire name, read with its `FromStr`: a name
/// that is no variant is a decode error, never a default.
pub fn wire<T>(row: &AnyRow, column: &str) -> Result<T, sqlx::Error>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.try_get(column)?;
    text.parse().map_err(|e| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    })
}
