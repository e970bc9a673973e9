//! Waiting for long-running writes: poll a read operation with backoff until it reports
//! a done state (or answers a status, e.g. 404 after a delete), within a timeout. The
//! generated `wait` methods of the writes the Atlas CLI's watchers name call this.

use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use super::request::wire_text;
use super::{Client, Error, ObjectId, Operation};

/// How long to wait and how often to poll. Polls start at `interval` and grow by half
/// each time, up to `max_interval`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitConfig {
    /// Give up after this long (default 2 hours: a large cluster takes most of one).
    pub timeout: Duration,
    /// The first pause between polls (default 10 s).
    pub interval: Duration,
    /// The longest pause between polls (default 60 s).
    pub max_interval: Duration,
}

impl Default for WaitConfig {
    fn default() -> Self {
        WaitConfig {
            timeout: Duration::from_secs(2 * 3600),
            interval: Duration::from_secs(10),
            max_interval: Duration::from_secs(60),
        }
    }
}

impl WaitConfig {
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    pub fn max_interval(mut self, max_interval: Duration) -> Self {
        self.max_interval = max_interval;
        self
    }
}

/// The pauses between polls and the deadline.
struct Schedule {
    started: Instant,
    next: Duration,
    config: WaitConfig,
}

impl Schedule {
    fn new(config: &WaitConfig) -> Self {
        Schedule {
            started: Instant::now(),
            next: config.interval,
            config: config.clone(),
        }
    }

    /// Sleep before the next poll, or `Err` with the elapsed time when that would pass
    /// the timeout.
    async fn pause(&mut self) -> Result<(), Duration> {
        let elapsed = self.started.elapsed();
        if elapsed + self.next > self.config.timeout {
            return Err(elapsed);
        }
        tokio::time::sleep(self.next).await;
        self.next =
            (self.next + self.next / 2).min(self.config.max_interval.max(self.config.interval));
        Ok(())
    }
}

/// Poll until the field at `pointer` of the polled resource is one of `success`
/// (returning it) or of `failure` (an error). A 404 while waiting is "not visible yet".
pub async fn until_state<P>(
    client: &Client,
    poll: &P,
    waiting_for: &'static str,
    pointer: &'static str,
    success: &[&str],
    failure: &[&str],
    config: &WaitConfig,
) -> Result<P::Output, Error>
where
    P: Operation,
    P::Output: Serialize,
{
    let mut schedule = Schedule::new(config);
    for polls in 1u32.. {
        let last = match client.execute(poll).await {
            Ok(resource) => {
                let state = state_at(&resource, pointer);
                tracing::info!(operation = waiting_for, polled = P::OPERATION_ID, polls, state = %state, "waiting");
                if success.contains(&state.as_str()) {
                    return Ok(resource);
                }
                if failure.contains(&state.as_str()) {
                    return Err(wait_error(
                        waiting_for,
                        format!("`{}` reached `{state}`", P::OPERATION_ID),
                    ));
                }
                state
            }
            Err(e) if e.is_not_found() => {
                tracing::info!(
                    operation = waiting_for,
                    polled = P::OPERATION_ID,
                    polls,
                    "waiting: not visible yet"
                );
                "not found".to_owned()
            }
            Err(e) => return Err(e),
        };
        if let Err(elapsed) = schedule.pause().await {
            return Err(timed_out(waiting_for, elapsed, polls, &last));
        }
    }
    Err(wait_error(waiting_for, "too many polls".into()))
}

/// Poll until the read answers `status` (404 once a delete is done).
pub async fn until_status<P: Operation>(
    client: &Client,
    poll: &P,
    waiting_for: &'static str,
    status: u16,
    config: &WaitConfig,
) -> Result<(), Error> {
    let mut schedule = Schedule::new(config);
    for polls in 1u32.. {
        let answered = match client.execute(poll).await {
            Ok(_) => 200,
            Err(e) if e.status() == Some(status) => return Ok(()),
            Err(e @ Error::Api { .. }) if e.status().is_some_and(|s| s < 500 && s != 429) => {
                return Err(e)
            }
            Err(e @ Error::Api { .. }) => e.status().unwrap_or_default(),
            Err(e) => return Err(e),
        };
        tracing::info!(
            operation = waiting_for,
            polled = P::OPERATION_ID,
            polls,
            answered,
            "waiting"
        );
        if let Err(elapsed) = schedule.pause().await {
            let last = format!("HTTP {answered}");
            return Err(timed_out(waiting_for, elapsed, polls, &last));
        }
    }
    Err(wait_error(waiting_for, "too many polls".into()))
}

/// The text at `pointer` of a resource: a string as is, another value as JSON.
fn state_at<T: Serialize>(resource: &T, pointer: &str) -> String {
    let value = serde_json::to_value(resource).unwrap_or_default();
    match value.pointer(pointer) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "absent".into(),
    }
}

fn wait_error(operation: &'static str, message: String) -> Error {
    Error::Wait { operation, message }
}

fn timed_out(operation: &'static str, elapsed: Duration, polls: u32, last: &str) -> Error {
    wait_error(
        operation,
        format!("timed out after {elapsed:?} and {polls} polls; last state {last}"),
    )
}

/// A parameter of the write, as the text the polled read takes.
pub fn text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    wire_text(name, value)
}

/// A field of the write's response (`pointer`, e.g. `/name`) as text.
pub fn from_body<T: Serialize>(name: &str, sent: &T, pointer: &str) -> Result<String, Error> {
    let value = serde_json::to_value(sent)
        .map_err(|e| Error::InvalidInput(format!("waiter parameter `{name}`: {e}")))?;
    match value.pointer(pointer) {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
        _ => Err(Error::InvalidInput(format!(
            "waiter parameter `{name}`: the response has no text at `{pointer}`"
        ))),
    }
}

/// A polled parameter that is an id.
pub fn object_id(name: &str, text: String) -> Result<ObjectId, Error> {
    text.parse::<ObjectId>()
        .map_err(|e| Error::InvalidInput(format!("waiter parameter `{name}`: {e}")))
}
