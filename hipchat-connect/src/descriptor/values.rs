//! The descriptor's other fixed value lists (locations, dialog styles and sizes), each
//! an open enum. Webhook events and `authentication` are the REST model's own
//! ([`WebhookEvent`], [`Authentication`]): one type per wire value list.

use hipchat_runtime::__open_enum as open_enum;

/// The room event a webhook subscribes to (`webhook[].event`, spec §5): the REST
/// model's type, shared with room webhooks registered through the API.
pub use hipchat_runtime::rest::model::WebhookEvent;

/// How HipChat authenticates a call to the add-on (`authentication`: `jwt` or `none`)
/// for webhooks, web panels, dialogs and the configuration page: the REST model's
/// `WebhookAuthentication`. Absent means `none` for a webhook (the schema's default,
/// spec §10) and `jwt` for the others.
pub use hipchat_runtime::rest::model::WebhookAuthentication as Authentication;

open_enum! {
    /// Where a web panel shows (`webPanel[].location`).
    pub enum WebPanelLocation {
        /// `hipchat.sidebar.right`: the right sidebar, the only location the schema lists.
        SidebarRight = "hipchat.sidebar.right",
    }
}

open_enum! {
    /// Where an action shows (`action[].location`).
    pub enum ActionLocation {
        /// `hipchat.message.action`: a message's menu.
        MessageAction = "hipchat.message.action",
        /// `hipchat.input.action`: the input bar.
        InputAction = "hipchat.input.action",
    }
}

open_enum! {
    /// A dialog's style (`dialog[].options.style`).
    pub enum DialogStyle {
        /// `normal` (the default).
        Normal = "normal",
        /// `warning`.
        Warning = "warning",
    }
}

open_enum! {
    /// A dialog's named size (`dialog[].options.size` as a string).
    pub enum DialogSizeName {
        /// `small`.
        Small = "small",
        /// `medium`.
        Medium = "medium",
        /// `large`.
        Large = "large",
        /// `xlarge`.
        Xlarge = "xlarge",
    }
}
