use crate::{Backend, Error, Message};

/// Accepts every message and sends nothing: for environments where notifications are off.
///
/// Messages are still rendered and validated first, so a broken template or an over-long
/// message is caught here too.
#[derive(Clone, Copy, Debug, Default)]
pub struct DisabledBackend;

impl Backend for DisabledBackend {
    async fn send(&self, message: &Message) -> Result<(), Error> {
        tracing::debug!(
            room = message.room_or_empty(),
            "hipchat disabled; notification dropped"
        );
        Ok(())
    }
}
