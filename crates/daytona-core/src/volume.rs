//! `daytona.volume`: shared storage that sandboxes mount at create.

use crate::call::{read, Call, Json};
use crate::endpoints::volumes as ep;
use crate::error::{Error, Result};
use crate::ClientContext;

#[derive(Clone)]
pub struct VolumeClient {
    ctx: ClientContext,
}

impl VolumeClient {
    pub fn new(ctx: ClientContext) -> Self {
        VolumeClient { ctx }
    }

    /// `Vec<Volume>`.
    pub fn list(&self) -> Call<Json> {
        self.ctx.call(ep::list(self.ctx.api_url()), read::json)
    }

    /// The volume named `name`; with `create`, made when there is none (not waited for).
    /// `Volume`.
    pub async fn get(&self, name: &str, create: bool) -> Result<Json> {
        match self.ctx.call(ep::get_by_name(self.ctx.api_url(), name), read::json).await {
            Err(Error::Api { status: 404, .. }) if create => self.create(name).await,
            other => other,
        }
    }

    /// `Volume`.
    pub fn create(&self, name: &str) -> Call<Json> {
        self.ctx.call(ep::create(self.ctx.api_url(), name), read::json)
    }

    pub fn delete(&self, id: &str) -> Call<()> {
        self.ctx.call(ep::delete(self.ctx.api_url(), id), read::nothing)
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{json, FakeClock, FnTransport, NoWs};
    use crate::{DaytonaClient, DaytonaConfig};
    use daytona_types::api::volume::Volume;
    use futures_executor::block_on;
    use std::rc::Rc;

    #[test]
    fn get_with_create_makes_a_missing_volume() {
        let t = FnTransport::new(|req| match req.url.ends_with("/by-name/v") {
            true => json(404, serde_json::json!({"message": "Volume v not found", "statusCode": 404})),
            false => json(200, serde_json::json!({"id": "1", "name": "v", "organizationId": "o", "state": "ready", "createdAt": "c", "updatedAt": "u"})),
        });
        let cfg = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://h/api".into()), ..Default::default() };
        let client = DaytonaClient::new(Some(cfg), &|_| None, t.clone(), Rc::new(NoWs), FakeClock::new()).unwrap();
        let vol: Volume = block_on(client.volume().get("v", true)).unwrap().decode().unwrap();
        assert_eq!((vol.id.as_str(), vol.state.as_str()), ("1", "ready"));
        let sent: Vec<String> = t.sent.borrow().iter().map(|r| format!("{:?} {}", r.method, r.url)).collect();
        assert_eq!(sent, ["Get http://h/api/volumes/by-name/v", "Post http://h/api/volumes"]);
        assert!(block_on(client.volume().get("v", false)).is_err(), "without create a missing volume is an error");
    }
}
