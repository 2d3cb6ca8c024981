//! km-protocol: the JSON contract between the km widgets and any backend.
//!
//! Every request and response body the widgets send or read is a type here,
//! together with the validation rules both sides apply (the widget shows the
//! message next to the field; the server answers with the same field errors
//! as RFC 9457 problem+json). The crate builds for `wasm32-unknown-unknown`
//! and for the server; the `openapi` feature adds utoipa schemas, from which
//! `protocol/openapi.json` is generated.
//!
//! Conventions of the contract (see docs/CONTRACT.md for the prose version):
//! - Everything is under `/api/v1`; bodies are JSON, field names snake_case.
//! - Timestamps are RFC 3339 strings in UTC (`2026-11-22T15:04:05Z`), dates
//!   are `YYYY-MM-DD`.
//! - Lists are cursor-paginated: `?cursor=&limit=` in, [`Page`] out.
//! - Errors are [`Problem`] bodies with `Content-Type: application/problem+json`.
//! - The community scope travels in the [`COMMUNITY_HEADER`] header.
//! - Writes may carry an [`IDEMPOTENCY_HEADER`]; a retry with the same key
//!   returns the first response instead of writing twice.
//!
//! Run the tests with `cargo test -p km-protocol`.

pub mod circles;
pub mod identity;
pub mod matches;
pub mod page;
pub mod passions;
pub mod problem;
pub mod questions;
pub mod reflections;
pub mod sign_in;
pub mod stories;
pub mod tags;
pub mod validate;
pub mod wire;

pub use identity::{Me, PersonSummary, Role, TokenClaims};
pub use page::{Page, PageQuery};
pub use problem::{FieldError, Problem};
pub use validate::Validate;

/// Path prefix of every versioned endpoint.
pub const API_PREFIX: &str = "/api/v1";
/// Header naming the community scope of a request (default [`DEFAULT_COMMUNITY`]).
pub const COMMUNITY_HEADER: &str = "X-Km-Community";
/// The community used when a request names none.
pub const DEFAULT_COMMUNITY: &str = "default";
/// Header carrying a client-chosen key that makes a write safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// Response header set when the response is a replay of an earlier write.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "Idempotent-Replayed";
/// Media type of error bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
