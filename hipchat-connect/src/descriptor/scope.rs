//! API scopes an add-on asks for (`hipchatApiConsumer.scopes`, spec §1).

use hipchat_runtime::__open_enum as open_enum;

open_enum! {
    /// One API scope, as `hipchatApiConsumer.scopes` spells it. The add-on token is
    /// requested for these (spec §3). Unknown scopes are kept in `Other`.
    pub enum Scope {
        /// `send_notification`: room notifications as the add-on.
        SendNotification = "send_notification",
        /// `send_message`: messages as a user.
        SendMessage = "send_message",
        /// `view_room`: read rooms; push room glances.
        ViewRoom = "view_room",
        /// `admin_room`: room administration (room webhooks).
        AdminRoom = "admin_room",
        /// `view_group`: read the group and its users; push group and user glances.
        ViewGroup = "view_group",
        /// `admin_group`: group administration.
        AdminGroup = "admin_group",
        /// `manage_rooms`: create and change rooms.
        ManageRooms = "manage_rooms",
        /// `view_messages`: read room history.
        ViewMessages = "view_messages",
        /// `import_data`: import history.
        ImportData = "import_data",
    }
}
