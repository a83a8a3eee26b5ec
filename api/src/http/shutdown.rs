//! The stopping state of the service, shared by the server loop and the handlers.
//!
//! On SIGTERM the service first *drains*: `/readyz` answers 503 while the listener still
//! accepts, so a load balancer's probe takes the instance out of rotation before
//! connections are refused. Then it stops accepting, and requests in flight have the
//! grace period to finish. What still runs after that is *cancelled*: each such request
//! answers `SERVICE_UNAVAILABLE` (its transaction rolled back) rather than losing its
//! connection, and the process exits.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use tokio::sync::watch;

/// A cheap handle on the stopping state.
#[derive(Clone, Debug)]
pub struct Shutdown {
    draining: Arc<AtomicBool>,
    cancel: Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self {
            draining: Arc::new(AtomicBool::new(false)),
            cancel: Arc::new(watch::channel(false).0),
        }
    }
}

impl Shutdown {
    /// From now on `/readyz` answers 503.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// Tells every request still running to stop.
    pub fn cancel(&self) {
        self.cancel.send_replace(true);
    }

    /// Resolves once [`Shutdown::cancel`] has been called.
    pub async fn cancelled(&self) {
        let mut receiver = self.cancel.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail.
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }
}
