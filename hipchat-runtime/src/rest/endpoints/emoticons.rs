//! Emoticons (spec v2 §8): the group's and HipChat's, listed or one by id or shortcut.

use reqwest::Method;

use crate::rest::Client;
use crate::rest::model::{Emoticon, EmoticonType};
use crate::rest::paging::{Paged, Paging, paged};
use crate::rest::request::{About, Call, json};
use crate::rest::url::segment;

/// The emoticons: `client.emoticons()`.
#[derive(Debug, Clone, Copy)]
pub struct EmoticonsHandler<'a> {
    client: &'a Client,
}

impl<'a> EmoticonsHandler<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// get_all_emoticons: `GET /v2/emoticon` (global and group ones, unless a
    /// [`kind`](ListEmoticons::kind) is set).
    pub fn list(self) -> ListEmoticons<'a> {
        ListEmoticons {
            client: self.client,
            paging: Paging::default(),
            kind: None,
        }
    }

    /// get_emoticon: `GET /v2/emoticon/{id_or_shortcut}`.
    pub fn get(self, id_or_shortcut: &str) -> Call<'a, Emoticon> {
        let request = segment("emoticon", id_or_shortcut).map(|emoticon| {
            self.client.request(
                Method::GET,
                About::Other(format!("emoticon {id_or_shortcut:?}")),
                format_args!("/emoticon/{emoticon}"),
            )
        });
        Call::new(self.client, request.map_err(Into::into), json)
    }
}

/// get_all_emoticons; `.await` it for a page, or stream its `items()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListEmoticons<'a> {
    client: &'a Client,
    paging: Paging,
    kind: Option<EmoticonType>,
}

impl<'a> ListEmoticons<'a> {
    /// Only `global` or `group` emoticons (HipChat's default: `all`).
    pub fn kind(mut self, kind: EmoticonType) -> Self {
        self.kind = Some(kind);
        self
    }

    fn into_paged(self) -> Paged<'a, Emoticon> {
        let request = self
            .client
            .request(
                Method::GET,
                About::Other("emoticons".into()),
                format_args!("/emoticon"),
            )
            .query_opt("type", self.kind);
        Paged::new(self.client, self.paging.apply(request))
    }
}

paged!(ListEmoticons => Emoticon);
