//! Linked sandboxes (`linkedSandbox` at create): an owner and the sandboxes linked to it
//! share a bridge in the owner's network namespace, each at an address of
//! [`LINK_NET`](crate::runtime::jail::LINK_NET), and find each other by name and id in their
//! `/etc/hosts`. The owner is .1; each linked sandbox keeps its address while this server
//! runs (they are numbered again when it starts).

use std::collections::HashMap;
use std::sync::Mutex;

use daytona_types::api::sandbox::Sandbox;

/// Who is linked to whom, and at which address (.2 to .254 of the owner's bridge).
#[derive(Default)]
pub struct Links {
    groups: Mutex<HashMap<String, Vec<(String, u8)>>>,
}

/// A link network: its owner's id, and each linked sandbox's id and address.
pub type LinkNetwork = (String, Vec<(String, u8)>);

impl Links {
    /// Links `member` to `owner` at the lowest free address; None when the bridge is full.
    pub fn join(&self, owner: &str, member: &str) -> Option<u8> {
        let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        let members = groups.entry(owner.to_string()).or_default();
        let n = (2..=254).find(|n| !members.iter().any(|(_, m)| m == n))?;
        members.push((member.to_string(), n));
        Some(n)
    }

    /// Forgets a deleted sandbox, owner or member.
    pub fn leave(&self, id: &str) {
        let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        groups.remove(id);
        groups.values_mut().for_each(|members| members.retain(|(m, _)| m != id));
        groups.retain(|_, members| !members.is_empty());
    }

    /// The link network `id` is on, as owner or member.
    pub fn group(&self, id: &str) -> Option<LinkNetwork> {
        let groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        groups.iter().find(|(owner, members)| *owner == id || members.iter().any(|(m, _)| m == id)).map(|(o, m)| (o.clone(), m.clone()))
    }
}

/// The `/etc/hosts` of sandbox `own`: loopback, its own name, then each of `peers` (on the
/// link network: the owner and its linked sandboxes, with their addresses) by name and id.
pub fn hosts_file(own: &Sandbox, peers: &[(String, &Sandbox)]) -> String {
    let mut text = format!("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{}\n", names(own));
    for (address, peer) in peers.iter().filter(|(_, p)| p.id != own.id) {
        text.push_str(&format!("{address}\t{}\n", names(peer)));
    }
    text
}

/// A sandbox's name and id, once each (an unnamed sandbox's name is its id).
fn names(sb: &Sandbox) -> String {
    if sb.name == sb.id {
        sb.id.clone()
    } else {
        format!("{} {}", sb.name, sb.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sb(id: &str, name: &str) -> Sandbox {
        Sandbox { id: id.into(), name: name.into(), ..Default::default() }
    }

    #[test]
    fn members_get_the_lowest_free_address_and_groups_are_found_from_either_side() {
        let links = Links::default();
        assert_eq!(links.join("o", "a"), Some(2));
        assert_eq!(links.join("o", "b"), Some(3));
        let group = Some(("o".to_string(), vec![("a".to_string(), 2), ("b".to_string(), 3)]));
        assert_eq!(links.group("o"), group);
        assert_eq!(links.group("b"), group);
        assert_eq!(links.group("x"), None);
        links.leave("a");
        assert_eq!(links.join("o", "c"), Some(2), "a's address is free again");
        links.leave("o");
        assert_eq!(links.group("c"), None, "an owner's group goes with it");
        for i in 0..253 {
            assert_eq!(links.join("full", &format!("m{i}")), Some(i as u8 + 2));
        }
        assert_eq!(links.join("full", "one-more"), None);
    }

    #[test]
    fn hosts_name_the_sandbox_and_its_peers_by_name_and_id() {
        let (owner, child, other) = (sb("id-1", "web"), sb("id-2", "id-2"), sb("id-3", "worker"));
        let peers = [("10.0.3.1".to_string(), &owner), ("10.0.3.2".to_string(), &child), ("10.0.3.3".to_string(), &other)];
        let text = hosts_file(&child, &peers);
        assert_eq!(text, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tid-2\n10.0.3.1\tweb id-1\n10.0.3.3\tworker id-3\n");
        assert!(hosts_file(&owner, &[]).ends_with("127.0.1.1\tweb id-1\n"));
    }
}
