//! Response bodies read as they arrive. Downloads (`+gzip` logs, `+csv` invoices) can be
//! larger than memory: a [`ByteStream`] holds one chunk at a time, and its timeout is per
//! read, so a long download of a slow but live server is not cut off.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::exchange::{TransportError, TransportErrorKind};
use super::Error;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A response body as a `Stream` of chunks, from
/// [`Client::execute_stream`](super::Client::execute_stream) or a download operation's
/// `send_stream`.
pub struct ByteStream {
    operation: &'static str,
    chunks: Chunks,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    /// A body already in memory, as one chunk (what a buffering [`super::Transport`]
    /// answers; handy in tests).
    pub fn from_bytes(operation: &'static str, body: impl Into<Bytes>) -> Self {
        let body = body.into();
        let chunks = futures_util::stream::iter((!body.is_empty()).then_some(Ok(body)));
        ByteStream {
            operation,
            chunks: chunks.boxed(),
        }
    }

    /// A reqwest body, each chunk awaited for at most `read_timeout`.
    pub(crate) fn from_reqwest(
        operation: &'static str,
        response: reqwest::Response,
        read_timeout: Duration,
    ) -> Self {
        let chunks = futures_util::stream::unfold(Some(response), move |state| async move {
            let mut response = state?;
            let failure = match tokio::time::timeout(read_timeout, response.chunk()).await {
                Ok(Ok(Some(chunk))) => return Some((Ok(chunk), Some(response))),
                Ok(Ok(None)) => return None,
                Ok(Err(error)) => TransportError::from_reqwest(error),
                Err(_) => TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no body data for {read_timeout:?} (ClientBuilder::read_timeout)"),
                ),
            };
            // After a failure the stream ends: the connection is gone.
            let error = Error::Transport {
                operation,
                source: failure,
            };
            Some((Err(error), None))
        });
        ByteStream {
            operation,
            chunks: chunks.boxed(),
        }
    }

    /// The operation whose body this is.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Read the whole body into memory, refusing more than `limit` bytes
    /// ([`Error::ResponseTooLarge`]).
    pub async fn collect(mut self, limit: u64) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunks.next().await {
            let chunk = chunk?;
            if (body.len() + chunk.len()) as u64 > limit {
                let operation = self.operation;
                return Err(Error::ResponseTooLarge { operation, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Write every chunk to `writer` as it arrives (then flush); returns the bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(
        mut self,
        writer: &mut W,
    ) -> Result<u64, Error> {
        let operation = self.operation;
        let io = |source| Error::Io {
            operation,
            path: None,
            source,
        };
        let mut written = 0u64;
        while let Some(chunk) = self.chunks.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(io)?;
        Ok(written)
    }

    /// Save the body to the file at `path`; returns the bytes written. The body goes to a
    /// new file beside it first, `<path>.<random>.part`, created exclusively (so no
    /// symlink or file someone else put there is followed or truncated), and is renamed
    /// to `path` only once complete: `path` never holds a truncated download. A failed
    /// download, or one whose future is dropped, leaves no `.part` file behind.
    pub async fn download_to(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let operation = self.operation;
        let io = |at: &Path| {
            let at = at.to_owned();
            move |source| Error::Io {
                operation,
                path: Some(at),
                source,
            }
        };
        let (mut file, part) = PartFile::create(path).await.map_err(io(path))?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await.map_err(io(&part.path))?;
        drop(file);
        tokio::fs::rename(&part.path, path)
            .await
            .map_err(io(path))?;
        part.keep();
        Ok(written)
    }
}

/// A download's partial file: removed when dropped, unless it was renamed into place.
struct PartFile {
    path: PathBuf,
    renamed: bool,
}

impl PartFile {
    /// Create `<path>.<random>.part` exclusively, in `path`'s directory.
    async fn create(path: &Path) -> std::io::Result<(tokio::fs::File, PartFile)> {
        let mut last = None;
        for _ in 0..8 {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{:016x}.part", rand::random::<u64>()));
            let candidate = PathBuf::from(name);
            match tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&candidate)
                .await
            {
                Ok(file) => {
                    let part = PartFile {
                        path: candidate,
                        renamed: false,
                    };
                    return Ok((file, part));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free name for the part file")))
    }

    fn keep(mut self) {
        self.renamed = true;
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.renamed {
            // Best effort: the download's own error (if any) is the one to report.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn collect_refuses_more_than_the_limit() {
        let body = ByteStream::from_bytes("op", vec![7u8; 10]);
        assert!(matches!(
            body.collect(9).await,
            Err(Error::ResponseTooLarge { limit: 9, .. })
        ));
        let body = ByteStream::from_bytes("op", vec![7u8; 10]);
        assert_eq!(body.collect(10).await.unwrap(), vec![7u8; 10]);
    }

    #[tokio::test]
    async fn an_empty_body_has_no_chunks() {
        let mut body = ByteStream::from_bytes("op", Vec::new());
        assert!(body.next().await.is_none());
    }
}
