//! HipChat Connect, the server's side (spec hipchat-connect §2–§4):
//!
//! * [`admin`]: the `/admin/addons` routes;
//! * [`install`]: installing, updating and uninstalling add-ons (the admin API and
//!   [`DevServer::install_addon`](crate::DevServer::install_addon) call it);
//! * [`token`]: `POST /v2/oauth/token`, the client_credentials grant;
//! * [`jwt`]: the HS256 tokens the server signs for an installation (webhooks, iframes).
//!
//! The capabilities document is `api::capabilities`.

pub mod admin;
pub mod install;
pub mod jwt;
pub mod token;
