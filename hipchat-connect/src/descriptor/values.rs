//! The descriptor's other fixed value lists (webhook events, authentication,
//! locations, dialog styles and sizes), each an open enum.

use super::open_enum::open_enum;

open_enum! {
    /// The room event a webhook subscribes to (`webhook[].event`, spec §5).
    pub enum WebhookEvent {
        /// `room_archived`.
        RoomArchived = "room_archived",
        /// `room_created`.
        RoomCreated = "room_created",
        /// `room_deleted`.
        RoomDeleted = "room_deleted",
        /// `room_enter`: a user entered the room.
        RoomEnter = "room_enter",
        /// `room_exit`: a user left the room.
        RoomExit = "room_exit",
        /// `room_file_upload`.
        RoomFileUpload = "room_file_upload",
        /// `room_message`: a user's message (the one `pattern` applies to).
        RoomMessage = "room_message",
        /// `room_notification`: a notification posted to the room.
        RoomNotification = "room_notification",
        /// `room_topic_change`.
        RoomTopicChange = "room_topic_change",
        /// `room_unarchived`.
        RoomUnarchived = "room_unarchived",
    }
}

open_enum! {
    /// How HipChat authenticates a call to the add-on (`authentication`): a signed
    /// request (JWT) or nothing.
    pub enum Authentication {
        /// `jwt`: HipChat signs the request with the installation's secret.
        Jwt = "jwt",
        /// `none`: unsigned.
        None = "none",
    }
}

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
