//! A room's webhooks (spec v2 §6) and extensions (§9): webhooks registered over REST
//! (create, list, get, delete), and the glances, actions and webhooks an add-on adds to a
//! room at run time (`/extension/{kind}/{key}`).

use reqwest::Method;
use serde::Serialize;

use super::rooms::RoomHandler;
use crate::Error;
use crate::rest::Client;
use crate::rest::model::{Created, Webhook, WebhookEvent};
use crate::rest::paging::{Paged, Paging, paged};
use crate::rest::request::{About, Call, Request, into_call, json, json_if_any, nothing};
use crate::rest::url::segment;

impl<'a> RoomHandler<'a> {
    /// get_all_webhooks: `GET /v2/room/{room}/webhook`.
    pub fn webhooks(&self) -> ListWebhooks<'a> {
        ListWebhooks {
            client: self.client,
            base: self.request(Method::GET, "/webhook"),
            paging: Paging::default(),
        }
    }

    /// create_webhook: `POST /v2/room/{room}/webhook`: HipChat will POST `event`s of the
    /// room to `url`.
    pub fn create_webhook(&self, url: impl Into<String>, event: WebhookEvent) -> CreateWebhook<'a> {
        CreateWebhook {
            client: self.client,
            base: self.request(Method::POST, "/webhook"),
            body: CreateWebhookBody {
                url: url.into(),
                event,
                pattern: None,
                name: None,
                key: None,
            },
        }
    }

    /// get_webhook: `GET /v2/room/{room}/webhook/{id}`.
    pub fn webhook(&self, id: u64) -> Call<'a, Webhook> {
        Call::new(self.client, self.webhook_request(Method::GET, id), json)
    }

    /// delete_webhook: `DELETE /v2/room/{room}/webhook/{id}`.
    pub fn delete_webhook(&self, id: u64) -> Call<'a, ()> {
        Call::new(
            self.client,
            self.webhook_request(Method::DELETE, id),
            nothing,
        )
    }

    fn webhook_request(&self, method: Method, id: u64) -> Result<Request, Error> {
        let about = About::Other(format!("webhook {id} in room {:?}", self.room));
        self.request_about(method, &format!("/webhook/{id}"), about)
    }

    /// A room extension of an add-on: `/v2/room/{room}/extension/{kind}/{key}`.
    pub fn extension(&self, kind: ExtensionKind, key: &str) -> ExtensionHandler<'a> {
        ExtensionHandler::new(self.client, |method| {
            let tail = format!("/extension/{}/{}", kind.as_str(), segment("key", key)?);
            let about = About::Other(format!(
                "{} extension {key:?} in room {:?}",
                kind.as_str(),
                self.room
            ));
            self.request_about(method, &tail, about)
        })
    }
}

/// get_all_webhooks; `.await` it for a page, or stream its `items()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListWebhooks<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    paging: Paging,
}

impl<'a> ListWebhooks<'a> {
    fn into_paged(self) -> Paged<'a, Webhook> {
        let paging = self.paging;
        Paged::new(self.client, self.base.and_then(|r| paging.apply(r)))
    }
}

paged!(ListWebhooks => Webhook);

#[derive(Debug, Serialize)]
struct CreateWebhookBody {
    url: String,
    event: WebhookEvent,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
}

/// create_webhook; `.await` it for the new webhook's id and link.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct CreateWebhook<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    body: CreateWebhookBody,
}

impl<'a> CreateWebhook<'a> {
    /// Only messages matching this regular expression (message events only).
    pub fn pattern(mut self, pattern: impl Into<String>) -> Self {
        self.body.pattern = Some(pattern.into());
        self
    }

    /// A name for the webhook.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }

    /// A key of yours for the webhook.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.body.key = Some(key.into());
        self
    }

    fn into_call(self) -> Call<'a, Option<Created>> {
        let body = self.body;
        let request = self.base.and_then(|request| request.json(&body));
        Call::new(self.client, request, json_if_any)
    }
}

into_call!(CreateWebhook => Option<Created>);

/// The kinds of room extension an add-on can add at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExtensionKind {
    /// A glance in the room's sidebar (PUT answers 204).
    Glance,
    /// An action on messages or in the input bar (PUT answers 201).
    Action,
    /// A webhook (PUT answers 201; at most 10 per room).
    Webhook,
}

impl ExtensionKind {
    fn as_str(self) -> &'static str {
        match self {
            ExtensionKind::Glance => "glance",
            ExtensionKind::Action => "action",
            ExtensionKind::Webhook => "webhook",
        }
    }
}

/// One extension of an add-on, read, written or removed as a whole: a room's
/// (`room.extension(ExtensionKind::Glance, "deploys")`) or a global action
/// (`client.addon().global_action("deploy")`).
#[derive(Debug)]
pub struct ExtensionHandler<'a> {
    client: &'a Client,
    get: Result<Request, Error>,
    put: Result<Request, Error>,
    delete: Result<Request, Error>,
}

impl<'a> ExtensionHandler<'a> {
    /// The handler of the extension at the URL `request` builds for each method.
    pub(crate) fn new(
        client: &'a Client,
        request: impl Fn(Method) -> Result<Request, Error>,
    ) -> Self {
        Self {
            client,
            get: request(Method::GET),
            put: request(Method::PUT),
            delete: request(Method::DELETE),
        }
    }

    /// Reads the extension as HipChat keeps it (descriptor-shaped JSON).
    pub fn get(self) -> Call<'a, serde_json::Value> {
        Call::new(self.client, self.get, json)
    }

    /// Creates or replaces the extension: `module` is shaped as the descriptor's module
    /// of this kind (`{"url", "event", "authentication"}` for a webhook; `name`, `icon`,
    /// `queryUrl` for a glance). Extensions declared in the descriptor cannot be changed.
    ///
    /// Actions and webhooks answer with their id and link, glances with nothing.
    pub fn put(self, module: &impl Serialize) -> Call<'a, Option<Created>> {
        let request = self.put.and_then(|request| request.json(module));
        Call::new(self.client, request, json_if_any)
    }

    /// Removes the extension.
    pub fn delete(self) -> Call<'a, ()> {
        Call::new(self.client, self.delete, nothing)
    }
}
