//! The HipChat REST API v2: a typed client for rooms, history, members, webhooks, users,
//! emoticons, the group, OAuth sessions and add-on UI.
//!
//! This module is the one place that knows HipChat's wire: URLs and path encoding,
//! authorization, error bodies, rate-limit headers and paging. The notification
//! [`HttpBackend`](crate::backend::HttpBackend) uses it too.

pub mod model;
pub(crate) mod response;
pub(crate) mod url;

pub use url::encode_segment;
pub(crate) mod client;
mod request;
mod token;

pub use client::{Client, ClientBuilder};
pub use request::{Call, Response};
pub use token::{StaticToken, TokenFuture, TokenSource};
