use crate::{Backend, Error, Outgoing};

/// Accepts every message and sends nothing: for environments where notifications are off.
///
/// Messages are still rendered and validated first, so a broken template or an over-long
/// message is caught here too.
#[derive(Clone, Copy, Debug, Default)]
pub struct DisabledBackend;

impl Backend for DisabledBackend {
    async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
        tracing::debug!(
            target = ?outgoing.target(),
            "hipchat disabled; notification dropped"
        );
        Ok(())
    }
}
