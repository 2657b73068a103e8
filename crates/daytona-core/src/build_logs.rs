//! Following a build log: raw bytes at `<url>?follow=true`, kept open by
//! the server while the build runs. Shared by snapshot builds and sandboxes built from a
//! Dockerfile.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use crate::context::ClientContext;
use crate::endpoints::snapshots as ep;
use crate::error::Result;

/// Receives build log lines (and state lines such as `Creating snapshot s (building)`).
pub type OnLogs<'a> = &'a dyn Fn(&str);

/// How long a log may stay quiet after the build has ended before it is closed from this
/// side: the official SDK waits out two 2-second silences.
const QUIET_AFTER_END_MS: u64 = 4000;

/// Whichever of two futures finishes first; the other is dropped.
async fn first<T>(a: impl Future<Output = T>, b: impl Future<Output = T>) -> T {
    let (mut a, mut b) = (pin!(a), pin!(b));
    poll_fn(|cx| match a.as_mut().poll(cx) {
        Poll::Ready(v) => Poll::Ready(v),
        Poll::Pending => b.as_mut().poll(cx),
    })
    .await
}

fn emit(on_line: OnLogs<'_>, line: &[u8]) {
    on_line(String::from_utf8_lossy(line).trim_end());
}

/// Streams the log at `url` to `on_line` a line at a time, until the server closes it, or
/// `ended` resolves (the build is over) and the log then stays quiet a while. The log is a
/// courtesy: if it cannot be read, this waits for `ended` and the build goes on.
pub(crate) async fn follow(ctx: &ClientContext, url: &str, on_line: OnLogs<'_>, ended: impl Future<Output = ()>) {
    let streamed = async {
        if stream(ctx, url, on_line).await.is_err() {
            // Unreadable: wait for the build's end instead.
            std::future::pending::<()>().await;
        }
    };
    let quiet_after_end = async {
        ended.await;
        ctx.clock().sleep(QUIET_AFTER_END_MS).await;
    };
    first(streamed, quiet_after_end).await
}

/// Reads the log to its end.
async fn stream(ctx: &ClientContext, url: &str, on_line: OnLogs<'_>) -> Result<()> {
    let mut resp = ctx.send_streaming(ep::follow_logs(url)).await?;
    let mut pending = Vec::new();
    while let Some(chunk) = resp.body.next_chunk().await {
        pending.extend(chunk?);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            emit(on_line, &pending[..end]);
            pending.drain(..=end);
        }
    }
    if !pending.is_empty() {
        emit(on_line, &pending);
    }
    Ok(())
}
