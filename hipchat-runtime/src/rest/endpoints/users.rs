//! Users (spec v2 §7): list and create ([`UsersHandler`]); one user's view, update,
//! delete, photo, auto-join rooms and private messages ([`UserHandler`]). Private chat
//! history is in `history.rs`, on the same handler.

use reqwest::Method;
use serde::Serialize;

use crate::Error;
use crate::error::ValidationError;
use crate::rest::Client;
use crate::rest::model::{CreatedUser, PresenceShow, RoomRef, User, UserRef};
use crate::rest::paging::{Paged, Paging, paged};
use crate::rest::request::{About, Call, Request, into_call, json, json_if_any, location, nothing};
use crate::rest::url::segment;

/// The users of the group: `client.users()`.
#[derive(Debug, Clone, Copy)]
pub struct UsersHandler<'a> {
    client: &'a Client,
}

impl<'a> UsersHandler<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// get_all_users: `GET /v2/user`, a page of user references (guests and deleted
    /// users left out unless asked).
    pub fn list(self) -> ListUsers<'a> {
        ListUsers {
            client: self.client,
            paging: Paging::default(),
            include_guests: None,
            include_deleted: None,
        }
    }

    /// create_user: `POST /v2/user` with `name` (1–50 characters) and `email`. The
    /// answer holds the new id, and the password HipChat generated when none was set.
    pub fn create(self, name: impl Into<String>, email: impl Into<String>) -> CreateUser<'a> {
        CreateUser {
            client: self.client,
            body: CreateUserBody {
                name: name.into(),
                email: email.into(),
                ..CreateUserBody::default()
            },
        }
    }
}

/// get_all_users; `.await` it for a page, or stream its `items()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListUsers<'a> {
    client: &'a Client,
    paging: Paging,
    include_guests: Option<bool>,
    include_deleted: Option<bool>,
}

impl<'a> ListUsers<'a> {
    /// Lists guests too (HipChat's default: `false`).
    pub fn include_guests(mut self, include: bool) -> Self {
        self.include_guests = Some(include);
        self
    }

    /// Lists deleted users too (HipChat's default: `false`).
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.include_deleted = Some(include);
        self
    }

    fn into_paged(self) -> Paged<'a, UserRef> {
        let request = self
            .client
            .request(
                Method::GET,
                About::Other("users".into()),
                format_args!("/user"),
            )
            .query_opt("include-guests", self.include_guests)
            // A hyphen here, an underscore on history (spec §12).
            .query_opt("include-deleted", self.include_deleted);
        Paged::new(self.client, self.paging.apply(request))
    }
}

paged!(ListUsers => UserRef);

#[derive(Debug, Default, Serialize)]
struct CreateUserBody {
    name: String,
    email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mention_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_group_admin: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "expose_password"
    )]
    password: Option<secrecy::SecretString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<Vec<String>>,
}

fn expose_password<S: serde::Serializer>(
    password: &Option<secrecy::SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    match password {
        Some(password) => serializer.serialize_str(password.expose_secret()),
        None => serializer.serialize_none(),
    }
}

/// create_user; `.await` it for the new user's id, link and generated password.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct CreateUser<'a> {
    client: &'a Client,
    body: CreateUserBody,
}

impl<'a> CreateUser<'a> {
    /// The user's title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.body.title = Some(title.into());
        self
    }

    /// The `@mention` name, without the `@` (default: derived from the name).
    pub fn mention_name(mut self, mention_name: impl Into<String>) -> Self {
        self.body.mention_name = Some(mention_name.into());
        self
    }

    /// Makes the user a group admin (default `false`).
    pub fn group_admin(mut self, admin: bool) -> Self {
        self.body.is_group_admin = Some(admin);
        self
    }

    /// The user's time zone name (`Europe/Paris`; default `UTC`).
    pub fn timezone(mut self, timezone: impl Into<String>) -> Self {
        self.body.timezone = Some(timezone.into());
        self
    }

    /// The password (default: HipChat generates one and answers with it).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.body.password = Some(secrecy::SecretString::from(password.into()));
        self
    }

    /// The user's roles, as HipChat names them (`user`, `admin`, ...).
    pub fn roles<I, S>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.body.roles = Some(roles.into_iter().map(Into::into).collect());
        self
    }

    fn into_call(self) -> Call<'a, Option<CreatedUser>> {
        let body = self.body;
        let request = check_user_name(&body.name).and_then(|()| {
            self.client
                .request(
                    Method::POST,
                    About::Other("users".into()),
                    format_args!("/user"),
                )
                .json(&body)
        });
        Call::new(self.client, request, json_if_any)
    }
}

into_call!(CreateUser => Option<CreatedUser>);

fn check_user_name(name: &str) -> Result<(), Error> {
    hipchat_spec::USER_NAME
        .check(name)
        .map_err(|violation| ValidationError::from(violation).into())
}

/// One user, by id, email or `@mention` name: `client.user("@alice")`.
#[derive(Debug, Clone)]
pub struct UserHandler<'a> {
    pub(crate) client: &'a Client,
    pub(crate) user: String,
}

/// The size of a user's photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhotoSize {
    /// The small photo.
    Small,
    /// The big photo.
    Big,
}

impl PhotoSize {
    fn as_str(self) -> &'static str {
        match self {
            PhotoSize::Small => "small",
            PhotoSize::Big => "big",
        }
    }
}

impl<'a> UserHandler<'a> {
    pub(crate) fn new(client: &'a Client, user: String) -> Self {
        Self { client, user }
    }

    /// A request to `/v2/user/{user}{tail}` (`tail` encoded), about this user.
    pub(crate) fn request(&self, method: Method, tail: &str) -> Result<Request, Error> {
        self.request_about(method, tail, About::User(self.user.clone()))
    }

    /// A request to `/v2/user/{user}{tail}` about something of the user's.
    pub(crate) fn request_about(
        &self,
        method: Method,
        tail: &str,
        about: About,
    ) -> Result<Request, Error> {
        let user = segment("user", &self.user)?;
        Ok(self
            .client
            .request(method, about, format_args!("/user/{user}{tail}")))
    }

    /// view_user: `GET /v2/user/{user}`.
    pub fn get(&self) -> Call<'a, User> {
        Call::new(self.client, self.request(Method::GET, ""), json)
    }

    /// update_user: `PUT /v2/user/{user}` with every field, as HipChat requires
    /// ("any missing fields will be treated as deleted", except the password). Start
    /// from the user as read: `UserUpdate::from(&user)`.
    pub fn update(&self, update: UserUpdate) -> Call<'a, ()> {
        let request = check_user_name(&update.name)
            .and_then(|()| self.request(Method::PUT, "")?.json(&update.body()?));
        Call::new(self.client, request, nothing)
    }

    /// delete_user: `DELETE /v2/user/{user}`.
    pub fn delete(&self) -> Call<'a, ()> {
        Call::new(self.client, self.request(Method::DELETE, ""), nothing)
    }

    /// get_photo: `GET /v2/user/{user}/photo/{size}`, answered with a redirect: the
    /// image's URL.
    pub fn photo(&self, size: PhotoSize) -> Call<'a, Option<String>> {
        let request = self
            .request(Method::GET, &format!("/photo/{}", size.as_str()))
            .map(Request::redirect_is_answer);
        Call::new(self.client, request, location)
    }

    /// update_photo: `PUT /v2/user/{user}/photo` with a base64 image.
    pub fn set_photo(&self, base64_image: impl Into<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            photo: String,
        }
        let body = Body {
            photo: base64_image.into(),
        };
        let request = self
            .request(Method::PUT, "/photo")
            .and_then(|request| request.json(&body));
        Call::new(self.client, request, nothing)
    }

    /// delete_photo: `DELETE /v2/user/{user}/photo`.
    pub fn delete_photo(&self) -> Call<'a, ()> {
        Call::new(self.client, self.request(Method::DELETE, "/photo"), nothing)
    }

    /// get_auto_join_rooms: `GET /v2/user/{user}/preference/auto-join`.
    pub fn auto_join_rooms(&self) -> ListAutoJoin<'a> {
        ListAutoJoin {
            client: self.client,
            base: self.request(Method::GET, "/preference/auto-join"),
            paging: Paging::default(),
        }
    }

    /// private_message_user: `POST /v2/user/{user}/message`, as plain text from the
    /// token's user. Notifications from a service go through a
    /// [`Notifier`](crate::Notifier) (`Message::to_user`) instead.
    pub fn send_message(&self, message: impl Into<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            message: String,
            message_format: &'static str,
        }
        let message = message.into();
        let request = hipchat_spec::MESSAGE
            .check(&message)
            .map_err(|violation| Error::from(ValidationError::from(violation)))
            .and_then(|()| {
                self.request(Method::POST, "/message")?
                    .flood_user(&self.user)
                    .json(&Body {
                        message,
                        message_format: "text",
                    })
            });
        Call::new(self.client, request, nothing)
    }
}

impl<'a> UserHandler<'a> {
    /// share_link_with_user: `POST /v2/user/{user}/share/link`, a link with an optional
    /// message (at most 1,000 characters) from the token's user.
    pub fn share_link(&self, link: impl Into<String>, message: Option<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            link: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            message: Option<String>,
        }
        let body = Body {
            link: link.into(),
            message,
        };
        let request = body
            .message
            .as_deref()
            .map_or(Ok(()), |message| {
                hipchat_spec::SHARE_LINK_MESSAGE.check(message)
            })
            .map_err(|violation| Error::from(ValidationError::from(violation)))
            .and_then(|()| {
                self.request(Method::POST, "/share/link")?
                    .flood_user(&self.user)
                    .json(&body)
            });
        Call::new(self.client, request, nothing)
    }
}

/// get_auto_join_rooms; `.await` it for a page, or stream its `items()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListAutoJoin<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    paging: Paging,
}

impl<'a> ListAutoJoin<'a> {
    fn into_paged(self) -> Paged<'a, RoomRef> {
        let paging = self.paging;
        Paged::new(self.client, self.base.and_then(|r| paging.apply(r)))
    }
}

paged!(ListAutoJoin => RoomRef);

/// The body of update_user: `name`, `mention_name` and `email` always, the rest as read
/// (HipChat resets what is missing, except the password). Build it from the user as
/// read and change what you need. A user read without an email needs
/// [`email`](Self::email) set, or the update is refused before it is sent.
#[derive(Clone)]
#[non_exhaustive]
pub struct UserUpdate {
    name: String,
    mention_name: String,
    email: Option<String>,
    title: String,
    is_group_admin: bool,
    timezone: String,
    roles: Vec<String>,
    presence: Option<PresenceUpdate>,
    password: Option<secrecy::SecretString>,
}

/// What update_user sends: [`UserUpdate`] with its password exposed, built only when
/// the request is.
#[derive(Serialize)]
struct UserUpdateBody<'a> {
    name: &'a str,
    mention_name: &'a str,
    email: &'a str,
    title: &'a str,
    is_group_admin: bool,
    timezone: &'a str,
    roles: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    presence: Option<&'a PresenceUpdate>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "expose_password"
    )]
    password: &'a Option<secrecy::SecretString>,
}

impl UserUpdate {
    fn body(&self) -> Result<UserUpdateBody<'_>, Error> {
        let email = self.email.as_deref().ok_or(ValidationError::Required {
            field: "email",
            hint: "HipChat resets a missing email; set one with UserUpdate::email",
        })?;
        Ok(UserUpdateBody {
            name: &self.name,
            mention_name: &self.mention_name,
            email,
            title: &self.title,
            is_group_admin: self.is_group_admin,
            timezone: &self.timezone,
            roles: &self.roles,
            presence: self.presence.as_ref(),
            password: &self.password,
        })
    }
}

/// The presence update_user may carry (HipChat's support said it is not applied; sent
/// only when set).
#[derive(Debug, Clone, Serialize)]
struct PresenceUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    show: PresenceShow,
}

impl From<&User> for UserUpdate {
    fn from(user: &User) -> Self {
        Self {
            name: user.name.clone(),
            mention_name: user.mention_name.clone(),
            email: user.email.clone(),
            title: user.title.clone(),
            is_group_admin: user.is_group_admin,
            timezone: user.timezone.clone(),
            roles: user.roles.clone(),
            presence: None,
            password: None,
        }
    }
}

impl UserUpdate {
    /// Renames the user (1–50 characters).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Changes the `@mention` name.
    pub fn mention_name(mut self, mention_name: impl Into<String>) -> Self {
        self.mention_name = mention_name.into();
        self
    }

    /// Changes the email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Changes the title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Makes the user a group admin, or not.
    pub fn group_admin(mut self, admin: bool) -> Self {
        self.is_group_admin = admin;
        self
    }

    /// Changes the time zone (`Europe/Paris`).
    pub fn timezone(mut self, timezone: impl Into<String>) -> Self {
        self.timezone = timezone.into();
        self
    }

    /// Replaces the roles.
    pub fn roles<I, S>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.roles = roles.into_iter().map(Into::into).collect();
        self
    }

    /// Sets a presence (`show`, optional `status`); HipChat may ignore it.
    pub fn presence(mut self, show: PresenceShow, status: Option<String>) -> Self {
        self.presence = Some(PresenceUpdate { status, show });
        self
    }

    /// Sets a new password (kept when not set).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(secrecy::SecretString::from(password.into()));
        self
    }
}

impl std::fmt::Debug for UserUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserUpdate")
            .field("name", &self.name)
            .field("mention_name", &self.mention_name)
            .field("email", &self.email)
            .field("has_password", &self.password.is_some())
            .finish_non_exhaustive()
    }
}
