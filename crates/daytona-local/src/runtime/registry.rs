//! Per-sandbox registries of live things (sessions, PTYs, interpreter contexts), keyed by
//! (sandbox id, own id). Locks are held only inside these methods.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub struct PerSandbox<T> {
    map: Mutex<HashMap<(String, String), Arc<T>>>,
}

impl<T> Default for PerSandbox<T> {
    fn default() -> Self {
        PerSandbox { map: Mutex::new(HashMap::new()) }
    }
}

fn key(sandbox: &str, id: &str) -> (String, String) {
    (sandbox.to_string(), id.to_string())
}

impl<T> PerSandbox<T> {
    fn lock(&self) -> MutexGuard<'_, HashMap<(String, String), Arc<T>>> {
        // A poisoned lock only means a request panicked holding it; the map is still sound.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, sandbox: &str, id: &str) -> Option<Arc<T>> {
        self.lock().get(&key(sandbox, id)).cloned()
    }

    pub fn contains(&self, sandbox: &str, id: &str) -> bool {
        self.lock().contains_key(&key(sandbox, id))
    }

    pub fn insert(&self, sandbox: &str, id: &str, value: Arc<T>) {
        self.lock().insert(key(sandbox, id), value);
    }

    /// The entry for `id`, made by `make` if there is none.
    pub fn get_or_insert(&self, sandbox: &str, id: &str, make: impl FnOnce() -> T) -> Arc<T> {
        self.lock().entry(key(sandbox, id)).or_insert_with(|| Arc::new(make())).clone()
    }

    pub fn remove(&self, sandbox: &str, id: &str) -> Option<Arc<T>> {
        self.lock().remove(&key(sandbox, id))
    }

    /// A sandbox's entries with their ids.
    pub fn list(&self, sandbox: &str) -> Vec<(String, Arc<T>)> {
        self.lock().iter().filter(|((s, _), _)| s == sandbox).map(|((_, id), v)| (id.clone(), v.clone())).collect()
    }

    /// Forgets everything of a sandbox (its processes die with the sandbox's groups).
    pub fn remove_sandbox(&self, sandbox: &str) {
        self.lock().retain(|(s, _), _| s != sandbox);
    }
}

/// A [`PerSandbox`] of any type, so [`Live`] can end a sandbox's share of each.
trait Registry: Send + Sync {
    fn end(&self, sandbox: &str);
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
}

impl<T: Send + Sync + 'static> Registry for PerSandbox<T> {
    fn end(&self, sandbox: &str) {
        self.remove_sandbox(sandbox);
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// What lives only while a sandbox runs (sessions, PTYs, interpreter contexts, language
/// servers, its desktop), one registry per type. The sandbox manager owns it and ends a
/// sandbox's share of every registry when the sandbox stops or is deleted, so no caller
/// has to remember to. Keyed by type because the toolbox defines what it holds.
#[derive(Default)]
pub struct Live {
    registries: Mutex<HashMap<TypeId, Arc<dyn Registry>>>,
}

impl Live {
    /// The registry of `T`s, made on first use.
    pub fn of<T: Send + Sync + 'static>(&self) -> Arc<PerSandbox<T>> {
        let mut registries = self.registries.lock().unwrap_or_else(|e| e.into_inner());
        let registry = registries.entry(TypeId::of::<T>()).or_insert_with(|| Arc::new(PerSandbox::<T>::default())).clone();
        registry.into_any().downcast().unwrap_or_else(|_| unreachable!("a registry is kept under the type it holds"))
    }

    /// Forgets everything of a sandbox (its processes die with the sandbox's groups).
    pub fn end(&self, sandbox: &str) {
        let registries: Vec<_> = self.registries.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect();
        for registry in registries {
            registry.end(sandbox);
        }
    }
}
