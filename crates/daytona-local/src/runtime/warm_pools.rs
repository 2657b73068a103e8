//! Warm pools (`/warm-pools`): started sandboxes made ahead from a snapshot. A create that
//! asks for that snapshot and nothing a made sandbox cannot take afterwards (resources,
//! volumes, a blocked network, another user) gets one at once, and the pool makes another.

use std::sync::Arc;

use daytona_types::api::sandbox::CreateSandbox;
use daytona_types::api::warm_pool::{CreateWarmPool, WarmPool};

use crate::runtime::in_background;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::store::Record;
use crate::runtime::time::{iso, now_ms};
use crate::runtime::Error;

/// What one machine keeps ready per pool at most.
const MAX_POOL: u32 = 10;

fn pool_size(pool: u32) -> Result<u32, Error> {
    match pool {
        0..=MAX_POOL => Ok(pool),
        _ => Err(Error::invalid(format!("pool must be between 0 and {MAX_POOL} on daytona-local"))),
    }
}

impl SandboxManager {
    /// The pools, each with how many sandboxes it has ready now.
    pub fn warm_pools(&self) -> Result<Vec<WarmPool>, Error> {
        let pools = self.store.warm_pools()?;
        pools.into_iter().map(|p| Ok(WarmPool { current_size: self.store.warm_members(&p.id)?.len() as u32, ..p })).collect()
    }

    fn warm_pool(&self, id: &str) -> Result<WarmPool, Error> {
        self.warm_pools()?.into_iter().find(|p| p.id == id).ok_or_else(|| Error::NotFound(format!("Warm pool {id} not found")))
    }

    pub fn create_warm_pool(self: &Arc<Self>, req: CreateWarmPool) -> Result<WarmPool, Error> {
        let snapshot = self.active_snapshot(&req.snapshot)?;
        let now = now_ms();
        let dto = WarmPool {
            id: uuid::Uuid::new_v4().to_string(),
            organization_id: self.organization_id.clone(),
            snapshot: snapshot.dto.name,
            target: req.target.unwrap_or_else(|| "local".into()),
            pool: pool_size(req.pool)?,
            current_size: 0,
            cpu: snapshot.dto.cpu,
            mem: snapshot.dto.mem,
            disk: snapshot.dto.disk,
            os_user: "daytona".into(),
            env: snapshot.config.env,
            error_reason: None,
            created_at: iso(now),
            updated_at: iso(now),
        };
        self.store.insert_warm_pool(&dto, now)?;
        self.refill_warm_pools();
        Ok(dto)
    }

    /// Changes how many sandboxes a pool keeps; ones over the new size are deleted.
    pub fn update_warm_pool(self: &Arc<Self>, id: &str, pool: u32) -> Result<WarmPool, Error> {
        // Not while a refill is making sandboxes for the pool.
        let _refill = self.warm_refill.lock().unwrap_or_else(|e| e.into_inner());
        let mut dto = self.warm_pool(id)?;
        dto.pool = pool_size(pool)?;
        dto.updated_at = iso(now_ms());
        self.store.update_warm_pool(&dto)?;
        self.delete_waiting(self.store.warm_members(id)?.into_iter().skip(dto.pool as usize))?;
        drop(_refill);
        self.refill_warm_pools();
        self.warm_pool(id)
    }

    /// Deletes a pool and the sandboxes it has ready (not those already taken).
    pub fn delete_warm_pool(&self, id: &str) -> Result<(), Error> {
        let _refill = self.warm_refill.lock().unwrap_or_else(|e| e.into_inner());
        self.warm_pool(id)?;
        self.store.delete_warm_pool(id)?;
        self.delete_waiting(self.store.warm_members(id)?)
    }

    /// Deletes ready sandboxes of a pool, but not one a create took meanwhile.
    fn delete_waiting(&self, members: impl IntoIterator<Item = String>) -> Result<(), Error> {
        for member in members {
            if self.store.take_warm_member(&member)? {
                self.delete(&member)?;
            }
        }
        Ok(())
    }

    /// A ready sandbox of a pool of `snapshot` for a create that asks for nothing a made
    /// sandbox cannot take (the caller checked), out of its pool; none when no pool has one.
    pub(crate) fn take_warm(&self, snapshot: Option<&str>, target: Option<&str>) -> Result<Option<Record>, Error> {
        let Some(snapshot) = snapshot.and_then(|s| self.active_snapshot(s).ok()).map(|s| s.dto.name) else { return Ok(None) };
        let target = target.unwrap_or("local");
        for pool in self.store.warm_pools()?.into_iter().filter(|p| p.target == target && p.snapshot == snapshot) {
            for member in self.store.warm_members(&pool.id)? {
                if self.store.take_warm_member(&member)? {
                    return Ok(Some(self.load(&member)?));
                }
            }
        }
        Ok(None)
    }

    /// Brings every pool up to its size, in the background (one refill at a time).
    pub fn refill_warm_pools(self: &Arc<Self>) {
        let me = Arc::clone(self);
        in_background(move || {
            let _one_at_a_time = me.warm_refill.lock().unwrap_or_else(|e| e.into_inner());
            for pool in me.store.warm_pools().unwrap_or_default() {
                let have = me.store.warm_members(&pool.id).map(|m| m.len() as u32).unwrap_or(pool.pool);
                for _ in have..pool.pool {
                    if let Err(e) = me.make_warm_member(&pool) {
                        tracing::warn!(pool = %pool.id, error = %e, "warm pool not refilled");
                        let _ = me.store.update_warm_pool(&WarmPool { error_reason: Some(e.to_string()), ..pool.clone() });
                        break;
                    }
                }
            }
        });
    }

    fn make_warm_member(self: &Arc<Self>, pool: &WarmPool) -> Result<(), Error> {
        // Made without auto-stop: it waits, started, until a create takes it.
        let req = CreateSandbox { snapshot: Some(pool.snapshot.clone()), target: Some(pool.target.clone()), auto_stop_interval: Some(0), ..Default::default() };
        let dto = self.create_sandbox(req, false)?;
        let mut rec = self.load(&dto.id)?;
        rec.dto.warm_pool_id = Some(pool.id.clone());
        self.store.update(&rec)?;
        self.store.add_warm_member(&dto.id, &pool.id)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use daytona_types::api::sandbox::CreateSandbox;
    use daytona_types::api::snapshot::CreateSnapshot;
    use daytona_types::api::warm_pool::CreateWarmPool;

    use crate::runtime::sandboxes::SandboxManager;

    fn ready(m: &SandboxManager, size: u32) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while m.warm_pools().unwrap()[0].current_size != size {
            assert!(Instant::now() < deadline, "the pool did not reach {size}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn creates_take_from_the_pool_which_refills_and_hides_what_it_has_ready() {
        let dir = tempfile::tempdir().unwrap();
        let m = SandboxManager::for_tests(dir.path());
        m.create_snapshot(CreateSnapshot { name: "base".into(), image_name: Some("python".into()), ..Default::default() }).unwrap();
        assert!(m.create_warm_pool(CreateWarmPool { snapshot: "base".into(), pool: 11, target: None }).is_err(), "one machine keeps at most 10");
        let pool = m.create_warm_pool(CreateWarmPool { snapshot: "base".into(), pool: 2, target: None }).unwrap();
        ready(&m, 2);
        assert_eq!((m.all().unwrap().len(), m.listed().unwrap().len()), (2, 0), "ready sandboxes are not listed");
        let taken = m.create(CreateSandbox { snapshot: Some("base".into()), name: Some("mine".into()), ..Default::default() }).unwrap();
        assert_eq!((taken.warm_pool_id.as_deref(), taken.name.as_str()), (Some(pool.id.as_str()), "mine"));
        assert_eq!(m.listed().unwrap().len(), 1);
        ready(&m, 2);
        let fresh = m.create(CreateSandbox { snapshot: Some("base".into()), user: Some("other".into()), ..Default::default() }).unwrap();
        assert_eq!(fresh.warm_pool_id, None, "what a made sandbox cannot take gets a new one");
        m.delete_warm_pool(&pool.id).unwrap();
        let left: Vec<String> = m.all().unwrap().into_iter().map(|r| r.dto.name).collect();
        assert_eq!(left.len(), 2, "the pool's ready sandboxes went with it, the taken one stayed: {left:?}");
        assert!(left.contains(&"mine".to_string()));
    }
}
