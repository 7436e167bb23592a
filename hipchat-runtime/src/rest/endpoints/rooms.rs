//! Rooms (spec v2 §4): list and create ([`RoomsHandler`]); one room's get, update,
//! archive, delete, topic, statistics, avatar and messages ([`RoomHandler`]). History,
//! members and webhooks of a room are in their own modules, on the same handler.

use reqwest::Method;
use serde::Serialize;

use crate::Error;
use crate::error::ValidationError;
use crate::rest::Client;
use crate::rest::model::{Created, Privacy, Room, RoomRef, RoomStatistics};
use crate::rest::paging::{Paged, Paging, paged};
use crate::rest::request::{About, Call, Request, into_call, json, json_if_any, location, nothing};
use crate::rest::url::segment;

/// The rooms of the group: `client.rooms()`.
#[derive(Debug, Clone, Copy)]
pub struct RoomsHandler<'a> {
    client: &'a Client,
}

impl<'a> RoomsHandler<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// get_all_rooms: `GET /v2/room`, a page of room references (private rooms included,
    /// archived ones not, unless asked).
    ///
    /// ```no_run
    /// # async fn run(client: hipchat_runtime::rest::Client) -> Result<(), hipchat_runtime::Error> {
    /// use futures_util::TryStreamExt;
    ///
    /// let first = client.rooms().list().include_archived(true).max_results(500).await?;
    /// let all: Vec<_> = client.rooms().list().items().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(self) -> ListRooms<'a> {
        ListRooms {
            client: self.client,
            paging: Paging::default(),
            include_private: None,
            include_archived: None,
        }
    }

    /// create_room: `POST /v2/room` with `name` (1–50 characters, checked before
    /// sending); the answer holds the new room's id (`None` if the server answered
    /// without a body).
    pub fn create(self, name: impl Into<String>) -> CreateRoom<'a> {
        CreateRoom {
            client: self.client,
            body: CreateRoomBody {
                name: name.into(),
                ..CreateRoomBody::default()
            },
        }
    }
}

/// get_all_rooms; `.await` it for a page, or stream its `items()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListRooms<'a> {
    client: &'a Client,
    paging: Paging,
    include_private: Option<bool>,
    include_archived: Option<bool>,
}

impl<'a> ListRooms<'a> {
    /// Lists private rooms too (HipChat's default: `true`).
    pub fn include_private(mut self, include: bool) -> Self {
        self.include_private = Some(include);
        self
    }

    /// Lists archived rooms too (HipChat's default: `false`).
    pub fn include_archived(mut self, include: bool) -> Self {
        self.include_archived = Some(include);
        self
    }

    fn into_paged(self) -> Paged<'a, RoomRef> {
        let request = self
            .client
            .request(
                Method::GET,
                About::Other("rooms".into()),
                format_args!("/room"),
            )
            .query_opt("include-private", self.include_private)
            .query_opt("include-archived", self.include_archived);
        Paged::new(self.client, self.paging.apply(request))
    }
}

paged!(ListRooms => RoomRef);

#[derive(Debug, Default, Serialize)]
struct CreateRoomBody {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    privacy: Option<Privacy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    guest_access: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delegate_admin_visibility: Option<bool>,
}

/// create_room; `.await` it for the new room's id and link.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct CreateRoom<'a> {
    client: &'a Client,
    body: CreateRoomBody,
}

impl<'a> CreateRoom<'a> {
    /// Public (HipChat's default) or private.
    pub fn privacy(mut self, privacy: Privacy) -> Self {
        self.body.privacy = Some(privacy);
        self
    }

    /// The topic (at most 250 characters).
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.body.topic = Some(topic.into());
        self
    }

    /// Whether guests may join (default `false`).
    pub fn guest_access(mut self, guest_access: bool) -> Self {
        self.body.guest_access = Some(guest_access);
        self
    }

    /// The owner: a user id, email or `@mention` name (default: the caller).
    pub fn owner(mut self, user: impl Into<String>) -> Self {
        self.body.owner_user_id = Some(user.into());
        self
    }

    /// Whether group admins see the room's delegate admin settings (`None`: the group's
    /// default).
    pub fn delegate_admin_visibility(mut self, visible: bool) -> Self {
        self.body.delegate_admin_visibility = Some(visible);
        self
    }

    fn into_call(self) -> Call<'a, Option<Created>> {
        let body = self.body;
        let request = check_room_fields(&body.name, body.topic.as_deref()).and_then(|()| {
            self.client
                .request(
                    Method::POST,
                    About::Other("rooms".into()),
                    format_args!("/room"),
                )
                .json(&body)
        });
        Call::new(self.client, request, json_if_any)
    }
}

into_call!(CreateRoom => Option<Created>);

/// A room's name and topic against HipChat's limits, before anything is sent.
fn check_room_fields(name: &str, topic: Option<&str>) -> Result<(), Error> {
    hipchat_spec::ROOM_NAME
        .check(name)
        .map_err(ValidationError::from)?;
    if let Some(topic) = topic {
        hipchat_spec::TOPIC
            .check(topic)
            .map_err(ValidationError::from)?;
    }
    Ok(())
}

/// One room, by id or name: `client.room("Ops")`.
#[derive(Debug, Clone)]
pub struct RoomHandler<'a> {
    pub(crate) client: &'a Client,
    pub(crate) room: String,
}

impl<'a> RoomHandler<'a> {
    pub(crate) fn new(client: &'a Client, room: String) -> Self {
        Self { client, room }
    }

    /// A request to `/v2/room/{room}{tail}` (`tail` encoded), about this room.
    pub(crate) fn request(&self, method: Method, tail: &str) -> Result<Request, Error> {
        self.request_about(method, tail, About::Room(self.room.clone()))
    }

    /// A request to `/v2/room/{room}{tail}` about something in the room (a 404 names it).
    pub(crate) fn request_about(
        &self,
        method: Method,
        tail: &str,
        about: About,
    ) -> Result<Request, Error> {
        let room = segment("room", &self.room)?;
        Ok(self
            .client
            .request(method, about, format_args!("/room/{room}{tail}")))
    }

    /// get_room: `GET /v2/room/{room}`.
    pub fn get(&self) -> Call<'a, Room> {
        Call::new(self.client, self.request(Method::GET, ""), json)
    }

    /// update_room: `PUT /v2/room/{room}` with every field, as HipChat requires (the
    /// fields left out are reset). Start from the room as read: `RoomUpdate::from(&room)`.
    pub fn update(&self, update: RoomUpdate) -> Call<'a, ()> {
        let request = check_room_fields(&update.name, Some(&update.topic)).and_then(|()| {
            if update.owner.is_none() {
                return Err(ValidationError::Required {
                    field: "owner",
                    hint: "HipChat requires the owner on update_room; set one with \
                               RoomUpdate::owner",
                }
                .into());
            }
            self.request(Method::PUT, "")?.json(&update)
        });
        Call::new(self.client, request, nothing)
    }

    /// Archives the room (`archived: true`) or brings it back: reads the room and
    /// writes it back with `is_archived` changed (HipChat has no call of its own).
    pub async fn set_archived(&self, archived: bool) -> Result<(), Error> {
        let room = self.get().await?;
        self.update(RoomUpdate::from(&room).archived(archived))
            .await
    }

    /// delete_room: `DELETE /v2/room/{room}` (participants are kicked).
    pub fn delete(&self) -> Call<'a, ()> {
        Call::new(self.client, self.request(Method::DELETE, ""), nothing)
    }

    /// set_topic: `PUT /v2/room/{room}/topic` (at most 250 characters, checked before
    /// sending).
    pub fn set_topic(&self, topic: impl Into<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            topic: String,
        }
        let topic = topic.into();
        let request = hipchat_spec::TOPIC
            .check(&topic)
            .map_err(|violation| Error::from(ValidationError::from(violation)))
            .and_then(|()| self.request(Method::PUT, "/topic")?.json(&Body { topic }));
        Call::new(self.client, request, nothing)
    }

    /// get_room_statistics: `GET /v2/room/{room}/statistics`.
    pub fn statistics(&self) -> Call<'a, RoomStatistics> {
        Call::new(self.client, self.request(Method::GET, "/statistics"), json)
    }

    /// get_room_avatar: `GET /v2/room/{room}/avatar`, answered with a redirect: the
    /// image's URL (`None` when the answer names none).
    pub fn avatar(&self) -> Call<'a, Option<String>> {
        let request = self
            .request(Method::GET, "/avatar")
            .map(Request::redirect_is_answer);
        Call::new(self.client, request, location)
    }

    /// update_room_avatar: `PUT /v2/room/{room}/avatar` with a base64 JPEG, PNG or GIF
    /// (no `data:` prefix).
    pub fn set_avatar(&self, base64_image: impl Into<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            avatar: String,
        }
        let body = Body {
            avatar: base64_image.into(),
        };
        let request = self
            .request(Method::PUT, "/avatar")
            .and_then(|request| request.json(&body));
        Call::new(self.client, request, nothing)
    }

    /// delete_room_avatar: `DELETE /v2/room/{room}/avatar`.
    pub fn delete_avatar(&self) -> Call<'a, ()> {
        Call::new(
            self.client,
            self.request(Method::DELETE, "/avatar"),
            nothing,
        )
    }

    /// send_message: `POST /v2/room/{room}/message`, a message from the token's user
    /// (1–1,000 characters, user tokens only). Notifications from a service go through
    /// a [`Notifier`](crate::Notifier) instead.
    /// The answer's `{"id", "timestamp"}` when the server sends one.
    pub fn send_message(&self, message: impl Into<String>) -> Call<'a, Option<SentMessage>> {
        #[derive(Serialize)]
        struct Body {
            message: String,
        }
        let message = message.into();
        let request = hipchat_spec::ROOM_MESSAGE
            .check(&message)
            .map_err(|violation| Error::from(ValidationError::from(violation)))
            .and_then(|()| {
                self.request(Method::POST, "/message")?
                    .flood(&self.room)
                    .json(&Body { message })
            });
        Call::new(self.client, request, json_if_any)
    }
}

/// What send_message answers: the new message's id and time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[non_exhaustive]
pub struct SentMessage {
    /// The message's id (a UUID), for `attach_to`, replies and get_room_message.
    pub id: String,
    /// When the server took it, as it wrote it.
    #[serde(default)]
    pub timestamp: Option<String>,
}

/// The body of update_room: every field, as HipChat requires ("any missing fields will
/// be treated as deleted"). Build it from the room as read and change what you need; a
/// room read without its owner needs [`owner`](Self::owner) set, or the update is
/// refused before it is sent.
///
/// ```
/// # fn run(room: &hipchat_runtime::rest::model::Room) {
/// use hipchat_runtime::rest::RoomUpdate;
///
/// let update = RoomUpdate::from(room).topic("Deploys only").archived(false);
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RoomUpdate {
    name: String,
    privacy: Privacy,
    is_archived: bool,
    is_guest_accessible: bool,
    topic: String,
    owner: Option<Owner>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delegate_admin_visibility: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Owner {
    id: String,
}

impl From<&Room> for RoomUpdate {
    fn from(room: &Room) -> Self {
        Self {
            name: room.name.clone(),
            privacy: room.privacy.clone(),
            is_archived: room.is_archived,
            is_guest_accessible: room.is_guest_accessible,
            topic: room.topic.clone(),
            owner: room.owner.as_ref().map(|owner| Owner {
                id: owner.id.to_string(),
            }),
            delegate_admin_visibility: room.delegate_admin_visibility,
        }
    }
}

impl RoomUpdate {
    /// Renames the room (1–50 characters).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Makes the room public or private.
    pub fn privacy(mut self, privacy: Privacy) -> Self {
        self.privacy = privacy;
        self
    }

    /// Archives the room, or brings it back.
    pub fn archived(mut self, archived: bool) -> Self {
        self.is_archived = archived;
        self
    }

    /// Lets guests in, or not.
    pub fn guest_accessible(mut self, accessible: bool) -> Self {
        self.is_guest_accessible = accessible;
        self
    }

    /// Sets the topic (at most 250 characters).
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.topic = topic.into();
        self
    }

    /// Gives the room to another owner: a user id, email or `@mention` name.
    pub fn owner(mut self, user: impl Into<String>) -> Self {
        self.owner = Some(Owner { id: user.into() });
        self
    }

    /// Whether group admins see the room's delegate admin settings.
    pub fn delegate_admin_visibility(mut self, visible: Option<bool>) -> Self {
        self.delegate_admin_visibility = visible;
        self
    }
}
