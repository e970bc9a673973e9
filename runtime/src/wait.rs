//! Waiting for long-running writes: poll a read operation with backoff until it reports
//! a done state (or answers a status, e.g. 404 after a delete), within a timeout. The
//! generated `wait` methods of the writes the Atlas CLI's watchers name call this.
//!
//! Both waits treat answers alike: a 5xx or a 429 is "not yet" (each poll is retried by
//! the client's [`RetryConfig`](super::RetryConfig) first, then the wait goes on), any
//! other 4xx ends the wait with that error (a 404 while waiting for a state is "not
//! visible yet"). No poll runs past the timeout: one still in flight then is cut off.
//! Pauses are at least [`MIN_POLL_INTERVAL`], and sleep on tokio's clock, so a test
//! with paused time waits for none of them.

use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use super::request::wire_text;
use super::{Client, Error, ObjectId, Operation};

/// The shortest pause between polls, whatever [`WaitConfig::interval`] says: a zero
/// interval would poll Atlas back to back.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// How long to wait and how often to poll. Polls start at `interval` and grow by half
/// each time, up to `max_interval` (never below [`MIN_POLL_INTERVAL`]).
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
    /// `started + timeout`, or far ahead when that does not fit the clock.
    deadline: Instant,
    next: Duration,
    longest: Duration,
}

impl Schedule {
    fn new(config: &WaitConfig) -> Self {
        let started = Instant::now();
        let next = config.interval.max(MIN_POLL_INTERVAL);
        Schedule {
            started,
            deadline: started
                .checked_add(config.timeout)
                .unwrap_or_else(super::exchange::far_future),
            next,
            longest: config.max_interval.max(next),
        }
    }

    /// One poll, cut off at the deadline (`Err` with the time waited).
    async fn poll<P: Operation>(
        &self,
        client: &Client,
        poll: &P,
    ) -> Result<Result<P::Output, Error>, Duration> {
        tokio::time::timeout_at(self.deadline, client.execute(poll))
            .await
            .map_err(|_| self.started.elapsed())
    }

    /// Sleep before the next poll, or `Err` with the elapsed time when that would pass
    /// the timeout.
    async fn pause(&mut self) -> Result<(), Duration> {
        let after_pause = Instant::now().checked_add(self.next);
        if after_pause.is_none_or(|at| at > self.deadline) {
            return Err(self.started.elapsed());
        }
        tokio::time::sleep(self.next).await;
        self.next = self.next.saturating_add(self.next / 2).min(self.longest);
        Ok(())
    }
}

/// A 5xx or 429 while waiting: not an answer yet (the client already retried it).
fn is_transient(error: &Error) -> bool {
    matches!(error, Error::Api { .. }) && error.status().is_some_and(|s| s >= 500 || s == 429)
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
        let answer = match schedule.poll(client, poll).await {
            Ok(answer) => answer,
            Err(elapsed) => return Err(timed_out(waiting_for, elapsed, polls, "a poll in flight")),
        };
        let last = match answer {
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
            Err(e) if is_transient(&e) => format!("HTTP {}", e.status().unwrap_or_default()),
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
        let answer = match schedule.poll(client, poll).await {
            Ok(answer) => answer,
            Err(elapsed) => return Err(timed_out(waiting_for, elapsed, polls, "a poll in flight")),
        };
        let answered = match answer {
            Ok(_) => 200,
            Err(e) if e.status() == Some(status) => return Ok(()),
            Err(e) if is_transient(&e) => e.status().unwrap_or_default(),
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

/// A field the caller's request already gave (`given`), or else the response's field at
/// `pointer`, as text.
pub fn given_or_from_body<T: Serialize>(
    name: &str,
    given: Option<&str>,
    sent: &T,
    pointer: &str,
) -> Result<String, Error> {
    match given {
        Some(text) => Ok(text.to_owned()),
        None => from_body(name, sent, pointer),
    }
}

/// A polled parameter that is an id.
pub fn object_id(name: &str, text: String) -> Result<ObjectId, Error> {
    text.parse::<ObjectId>()
        .map_err(|e| Error::InvalidInput(format!("waiter parameter `{name}`: {e}")))
}
