//! Who is in a room (spec v2 §5.1): members of a private room, participants (who is in
//! it now), and invitations to a public room.

use reqwest::Method;
use serde::Serialize;

use super::rooms::RoomHandler;
use crate::Error;
use crate::error::ValidationError;
use crate::rest::Client;
use crate::rest::model::{Member, RoomRole, UserRef};
use crate::rest::paging::{Paged, Paging, paged};
use crate::rest::request::{About, Call, Request, into_call, nothing};
use crate::rest::url::segment;

impl<'a> RoomHandler<'a> {
    /// get_all_members: `GET /v2/room/{room}/member` (private rooms).
    pub fn members(&self) -> ListMembers<'a> {
        ListMembers {
            client: self.client,
            base: self.request(Method::GET, "/member"),
            paging: Paging::default(),
        }
    }

    /// add_member: `PUT /v2/room/{room}/member/{user}` (private rooms); `user` is an id,
    /// email or `@mention` name.
    pub fn add_member(&self, user: &str) -> AddMember<'a> {
        AddMember {
            client: self.client,
            base: self.member_request(Method::PUT, user),
            roles: None,
        }
    }

    /// remove_member: `DELETE /v2/room/{room}/member/{user}`.
    pub fn remove_member(&self, user: &str) -> Call<'a, ()> {
        Call::new(
            self.client,
            self.member_request(Method::DELETE, user),
            nothing,
        )
    }

    fn member_request(&self, method: Method, user: &str) -> Result<Request, Error> {
        let tail = format!("/member/{}", segment("user", user)?);
        self.request_about(method, &tail, self.and_user(user))
    }

    /// A request about a user in this room: a 404 says which of the two is missing.
    fn and_user(&self, user: &str) -> About {
        About::RoomAndUser {
            room: self.room.clone(),
            user: user.to_owned(),
        }
    }

    /// get_all_participants: `GET /v2/room/{room}/participant`, the people in the room
    /// now.
    pub fn participants(&self) -> ListParticipants<'a> {
        ListParticipants {
            client: self.client,
            base: self.request(Method::GET, "/participant"),
            paging: Paging::default(),
            include_offline: None,
        }
    }

    /// invite_user: `POST /v2/room/{room}/invite/{user}` with a `reason` (1–250
    /// characters); user tokens only, public rooms.
    pub fn invite(&self, user: &str, reason: impl Into<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            reason: String,
        }
        let reason = reason.into();
        let request = hipchat_spec::INVITE_REASON
            .check(&reason)
            .map_err(|violation| Error::from(ValidationError::from(violation)))
            .and_then(|()| {
                let tail = format!("/invite/{}", segment("user", user)?);
                self.request_about(Method::POST, &tail, self.and_user(user))?
                    .json(&Body { reason })
            });
        Call::new(self.client, request, nothing)
    }
}

/// get_all_members; `.await` it for a page, or stream its `items()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListMembers<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    paging: Paging,
}

impl<'a> ListMembers<'a> {
    fn into_paged(self) -> Paged<'a, Member> {
        let paging = self.paging;
        Paged::new(self.client, self.base.and_then(|r| paging.apply(r)))
    }
}

paged!(ListMembers => Member);

/// add_member; `.await` it.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct AddMember<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    roles: Option<Vec<RoomRole>>,
}

impl<'a> AddMember<'a> {
    /// The member's roles in the room (`room_member`, `room_admin`).
    pub fn roles(mut self, roles: impl IntoIterator<Item = RoomRole>) -> Self {
        self.roles = Some(roles.into_iter().collect());
        self
    }

    fn into_call(self) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            room_roles: Vec<RoomRole>,
        }
        let request = match self.roles {
            Some(room_roles) => self
                .base
                .and_then(|request| request.json(&Body { room_roles })),
            None => self.base,
        };
        Call::new(self.client, request, nothing)
    }
}

into_call!(AddMember => ());

/// get_all_participants; `.await` it for a page, or stream its `items()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListParticipants<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    paging: Paging,
    include_offline: Option<bool>,
}

impl<'a> ListParticipants<'a> {
    /// Lists participants who are offline too (HipChat's default: `false`).
    pub fn include_offline(mut self, include: bool) -> Self {
        self.include_offline = Some(include);
        self
    }

    fn into_paged(self) -> Paged<'a, UserRef> {
        let paging = self.paging;
        let include_offline = self.include_offline;
        let request = self
            .base
            .and_then(|r| paging.apply(r.query_opt("include-offline", include_offline)));
        Paged::new(self.client, request)
    }
}

paged!(ListParticipants => UserRef);
