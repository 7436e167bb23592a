//! The process-wide notifier that `event.notify().await` uses when no `.via()` is given.

use std::sync::{PoisonError, RwLock};

use crate::{Error, Notifier};

static DEFAULT: RwLock<Option<Notifier>> = RwLock::new(None);

/// Makes `notifier` the default for `.notify().await`, returning the previous one.
///
/// Call it once at start-up. Without it, the first `.notify()` builds the default from the
/// environment ([`Notifier::from_env`]).
pub fn set_default(notifier: Notifier) -> Option<Notifier> {
    DEFAULT
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .replace(notifier)
}

/// The default notifier: the one given to [`set_default`], or one built from the
/// environment on first use. A bad environment is reported on every call until fixed.
pub fn default_notifier() -> Result<Notifier, Error> {
    if let Some(notifier) = DEFAULT
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        return Ok(notifier.clone());
    }
    let mut slot = DEFAULT.write().unwrap_or_else(PoisonError::into_inner);
    // Another thread may have filled the slot between the two locks.
    if let Some(notifier) = slot.as_ref() {
        return Ok(notifier.clone());
    }
    let notifier = Notifier::from_env()?;
    *slot = Some(notifier.clone());
    Ok(notifier)
}
