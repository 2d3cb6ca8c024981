//! People as the portal's tokens describe them: kept so that lists can show
//! names and departments of authors. The statements are in
//! [`crate::db::people`].

use km_protocol::Me;

pub use crate::db::people::{summary, upsert};

/// Records the caller before a write ([`crate::extract::Signed`]): reads
/// the row first and writes only when it is missing or the token says
/// something new, so an ordinary write costs one small read, not a second
/// write transaction.
pub async fn record(store: &crate::Store, me: &Me) -> Result<(), crate::error::ApiError> {
    if crate::db::people::is_current(store.pool(), me).await? == Some(true) {
        return Ok(());
    }
    let mut w = store.write().await?;
    upsert(&mut w.tx, me).await?;
    w.commit().await?;
    Ok(())
}
