//! The group (spec v2 §8): view, statistics, avatar, and inviting people into it.

use reqwest::Method;
use serde::Serialize;

use crate::Error;
use crate::rest::Client;
use crate::rest::model::{Group, GroupStatistics};
use crate::rest::request::{About, Call, Request, into_call, json, json_if_any, location, nothing};

/// One group, by id: `client.group(1)`.
#[derive(Debug, Clone, Copy)]
pub struct GroupHandler<'a> {
    client: &'a Client,
    id: u64,
}

impl<'a> GroupHandler<'a> {
    pub(crate) fn new(client: &'a Client, id: u64) -> Self {
        Self { client, id }
    }

    fn request(&self, method: Method, tail: &str) -> Request {
        let id = self.id;
        self.client.request(
            method,
            About::Other(format!("group {id}")),
            format_args!("/group/{id}{tail}"),
        )
    }

    /// view_group: `GET /v2/group/{id}`.
    pub fn get(&self) -> Call<'a, Group> {
        Call::new(self.client, Ok(self.request(Method::GET, "")), json)
    }

    /// group_statistics: `GET /v2/group/{id}/statistics`.
    pub fn statistics(&self) -> Call<'a, GroupStatistics> {
        Call::new(
            self.client,
            Ok(self.request(Method::GET, "/statistics")),
            json,
        )
    }

    /// get_group_avatar: `GET /v2/group/{id}/avatar`, answered with a redirect: the
    /// image's URL.
    pub fn avatar(&self) -> Call<'a, Option<String>> {
        let request = self.request(Method::GET, "/avatar").redirect_is_answer();
        Call::new(self.client, Ok(request), location)
    }

    /// update_group_avatar: `PUT /v2/group/{id}/avatar` with a base64 image.
    pub fn set_avatar(&self, base64_image: impl Into<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            avatar: String,
        }
        let request = self.request(Method::PUT, "/avatar").json(&Body {
            avatar: base64_image.into(),
        });
        Call::new(self.client, request, nothing)
    }

    /// delete_group_avatar: `DELETE /v2/group/{id}/avatar`.
    pub fn delete_avatar(&self) -> Call<'a, ()> {
        Call::new(
            self.client,
            Ok(self.request(Method::DELETE, "/avatar")),
            nothing,
        )
    }
}

/// invite_user_to_group; `.await` it for HipChat's answer, when it sends one (its fields
/// are unrecorded: kept as JSON).
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct InviteToGroup<'a> {
    pub(crate) client: &'a Client,
    pub(crate) body: InviteBody,
}

#[derive(Debug, Serialize)]
pub(crate) struct InviteBody {
    pub(crate) email: String,
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
}

impl<'a> InviteToGroup<'a> {
    /// The invitee's title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.body.title = Some(title.into());
        self
    }

    fn into_call(self) -> Call<'a, Option<serde_json::Value>> {
        let body = self.body;
        let request = hipchat_spec::USER_NAME
            .check(&body.name)
            .map_err(|violation| Error::from(crate::ValidationError::from(violation)))
            .and_then(|()| {
                self.client
                    .request(
                        Method::POST,
                        About::User(body.email.clone()),
                        format_args!("/invite/user"),
                    )
                    .json(&body)
            });
        Call::new(self.client, request, json_if_any)
    }
}

into_call!(InviteToGroup => Option<serde_json::Value>);
