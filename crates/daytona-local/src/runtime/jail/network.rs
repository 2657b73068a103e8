//! Each sandbox's network. Every holder makes a network namespace of its own, so a sandbox
//! has its own loopback and ports. Outbound access comes through slirp4netns, user-mode
//! networking that needs no change to the host's network configuration. An nftables table
//! inside the namespace says where the sandbox may connect. The sandbox's processes have no
//! capabilities, so they cannot change that table.
//!
//! pasta (passt) would be the other user-mode choice. Debian 12's build drops to `nobody`
//! before it joins the namespace, and then cannot join a namespace that root made.
//! slirp4netns needs about 3 ms to be ready (7 with its own sandbox and seccomp filter,
//! which are on here).
//!
//! Addresses inside a sandbox: 10.0.2.100 on `tap0`; the gateway 10.0.2.2, which is the
//! host's loopback only with `--sandbox-host-access`; the DNS forwarder 10.0.2.3. Linked
//! sandboxes also share a bridge on [`LINK_NET`].

use std::fs::File;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::programs::find_program;

/// The bridge linked sandboxes share: the owner is .1, each linked sandbox one more.
pub const LINK_NET: &str = "10.0.3.0/24";
/// The mark on the egress proxy's own sockets, which its redirect lets pass.
pub const EGRESS_MARK: u32 = 0xd7;
/// What slirp4netns answers DNS on, inside every sandbox.
const DNS: &str = "10.0.2.3";
/// How long a connection into a sandbox may take to be accepted.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How sandboxes get their networks.
pub struct Network {
    slirp: PathBuf,
    nft: PathBuf,
    ip: PathBuf,
    /// `--sandbox-host-access`: the host's loopback at 10.0.2.2, this server's ports too.
    host_access: bool,
    /// This server's API and SSH ports, never reachable on the host's addresses otherwise.
    server_ports: Vec<u16>,
}

/// Where one sandbox may connect to, from its settings.
#[derive(Default, Clone, PartialEq, Eq, Debug)]
pub struct Policy {
    /// Loopback and linked sandboxes only (`networkBlockAll`).
    pub block_all: bool,
    /// IPv4 CIDRs (`networkAllowList`); none means anywhere.
    pub allow: Vec<String>,
    /// Where connections to ports 80 and 443 go instead: the egress proxy's port on the
    /// sandbox's loopback (secrets mounted).
    pub intercept: Option<u16>,
}

impl Policy {
    /// `networkBlockAll` and `networkAllowList` as a sandbox has them.
    pub fn of(block_all: bool, allow_list: Option<&str>) -> Policy {
        let allow = allow_list.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(normalize_cidr).collect();
        Policy { block_all, allow, intercept: None }
    }
}

/// `10.1.2.3/8` as nftables takes it: `10.0.0.0/8` (no bits past the prefix).
fn normalize_cidr(cidr: &str) -> String {
    let Some((ip, bits)) = cidr.split_once('/') else { return cidr.to_string() };
    match (ip.parse::<Ipv4Addr>(), bits.parse::<u32>()) {
        (Ok(ip), Ok(bits)) if bits <= 32 => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            format!("{}/{bits}", Ipv4Addr::from(u32::from(ip) & mask))
        }
        _ => cidr.to_string(),
    }
}

/// A running slirp4netns, for one namespace. It ends when dropped, and by itself when this
/// server ends (its exit pipe closes).
pub struct Outbound {
    child: Child,
    _exit: OwnedFd,
}

impl Drop for Outbound {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Network {
    /// Finds the tools, with an error naming what is missing.
    pub fn detect(host_access: bool, server_ports: Vec<u16>) -> Result<Network, String> {
        let tool = |name: &str, package: &str| find_program(name).ok_or(format!("{name} is not installed (apt-get install {package})"));
        Ok(Network { slirp: tool("slirp4netns", "slirp4netns")?, nft: tool("nft", "nftables")?, ip: tool("ip", "iproute2")?, host_access, server_ports })
    }

    /// Starts user-mode networking for the namespace of process `pid`: `tap0` with its
    /// address, routes and DNS. Returns once the namespace is configured.
    pub fn outbound(&self, pid: i32) -> io::Result<Outbound> {
        let (mut ready, ready_w) = io::pipe()?;
        let (exit_r, exit_w) = io::pipe()?;
        let (ready_fd, exit_fd) = (ready_w.as_raw_fd(), exit_r.as_raw_fd());
        let mut cmd = Command::new(&self.slirp);
        cmd.args(["--configure", "--mtu=65520", "--enable-sandbox", "--enable-seccomp"]);
        if !self.host_access {
            cmd.arg("--disable-host-loopback");
        }
        cmd.arg(format!("--ready-fd={ready_fd}")).arg(format!("--exit-fd={exit_fd}")).arg(pid.to_string()).arg("tap0");
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).process_group(0);
        // SAFETY: fcntl(2) only, between fork and exec, on fds made before the fork.
        unsafe {
            cmd.pre_exec(move || {
                for fd in [ready_fd, exit_fd] {
                    if libc::fcntl(fd, libc::F_SETFD, 0) != 0 {
                        return Err(io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let child = cmd.spawn()?;
        drop(cmd);
        drop(ready_w);
        drop(exit_r);
        let outbound = Outbound { child, _exit: exit_w.into() };
        // slirp4netns writes "1" once the namespace is configured, or exits.
        let mut byte = [0u8; 1];
        match ready.read(&mut byte)? {
            1 => Ok(outbound),
            _ => Err(io::Error::other("slirp4netns could not give the sandbox its network")),
        }
    }

    /// Puts `policy` in place in the namespace `netns`, replacing what was there at once;
    /// `nat` says whether the namespace has had a redirect chain.
    pub fn apply(&self, netns: &File, policy: &Policy, nat: bool) -> io::Result<()> {
        let rules = self.ruleset(policy, &host_addresses(), nat);
        run_in(netns, Command::new(&self.nft).args(["-f", "-"]), Some(rules.as_bytes()))
    }

    /// The nftables table for `policy`; `host` are the host's own addresses; `nat`: the
    /// redirect chain exists (it is only made once needed: a nat hook costs conntrack).
    fn ruleset(&self, policy: &Policy, host: &[IpAddr], nat: bool) -> String {
        // No blanket acceptance of established connections: a narrowed policy cuts those
        // already open too (replies to what comes in leave by `lo` or the link bridge).
        let mut rules = vec!["oif \"lo\" accept".to_string(), format!("oifname {{ \"eth1\", \"dlbridge\" }} ip daddr {LINK_NET} accept")];
        // IPv4 only: nothing reaches IPv6 (link-local fe80::/10 included).
        rules.push("meta nfproto ipv6 reject".into());
        if policy.block_all {
            rules.push("reject".into());
        }
        // A cloud machine's metadata service (with its credentials) and the rest of link-local.
        rules.push("ip daddr 169.254.0.0/16 reject".into());
        let host4: Vec<String> = host.iter().filter(|a| a.is_ipv4() && !a.is_loopback()).map(IpAddr::to_string).collect();
        if !self.host_access && !host4.is_empty() && !self.server_ports.is_empty() {
            let ports: Vec<String> = self.server_ports.iter().map(u16::to_string).collect();
            rules.push(format!("ip daddr {{ {} }} tcp dport {{ {} }} reject", host4.join(", "), ports.join(", ")));
        }
        if !policy.allow.is_empty() {
            rules.push(format!("ip daddr {DNS} meta l4proto {{ tcp, udp }} th dport 53 accept"));
            rules.push(format!("ip daddr {{ {} }} accept", policy.allow.join(", ")));
            rules.push("reject".into());
        }
        // Declaring the table and chain is a no-op once they exist; the rules are replaced in
        // the same transaction. (Deleting the table instead would cost ~12 ms more per apply:
        // unregistering a hook waits for an RCU grace period.)
        let body: String = rules.iter().map(|r| format!("add rule inet daytona output {r}\n")).collect();
        let mut text = format!("table inet daytona {{\n  chain output {{\n    type filter hook output priority 0; policy accept;\n  }}\n}}\nflush chain inet daytona output\n{body}");
        if nat || policy.intercept.is_some() {
            text.push_str(
                "table inet daytona {\n  chain egress {\n    type nat hook output priority -100; policy accept;\n  }\n}\nflush chain inet daytona egress\n",
            );
        }
        if let Some(port) = policy.intercept {
            text.push_str(&format!("add rule inet daytona egress meta mark {EGRESS_MARK:#x} return\n"));
            text.push_str(&format!("add rule inet daytona egress ip daddr != 127.0.0.0/8 tcp dport {{ 80, 443 }} redirect to :{port}\n"));
        }
        text
    }

    /// Joins the namespaces of `owner` and `member` (a process in it) with a veth pair on
    /// the owner's bridge, `member` taking address `n` (2..=254) of [`LINK_NET`]; the owner
    /// has .1.
    pub fn link(&self, owner: &File, member: i32, n: u8) -> io::Result<()> {
        let bridge = "link add dlbridge type bridge\naddr add 10.0.3.1/24 dev dlbridge\nlink set dlbridge up\n";
        match run_in(owner, Command::new(&self.ip).args(["-batch", "-"]), Some(bridge.as_bytes())) {
            // The owner's first linked sandbox made it.
            Err(e) if e.to_string().contains("File exists") => {}
            other => other?,
        }
        let veth = format!("dl{member}");
        let pair = format!("link add {veth} type veth peer name eth1 netns {member}\nlink set {veth} master dlbridge up\n");
        run_in(owner, Command::new(&self.ip).args(["-batch", "-"]), Some(pair.as_bytes()))?;
        let ns = File::open(format!("/proc/{member}/ns/net"))?;
        let address = format!("addr add 10.0.3.{n}/24 dev eth1\nlink set eth1 up\n");
        run_in(&ns, Command::new(&self.ip).args(["-batch", "-"]), Some(address.as_bytes()))
    }
}

/// Runs `cmd` in the network namespace `netns`, feeding it `input`, and waits for it; its
/// error output becomes the error.
fn run_in(netns: &File, cmd: &mut Command, input: Option<&[u8]>) -> io::Result<()> {
    let fd = netns.as_raw_fd();
    cmd.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
    // SAFETY: setns(2) only, between fork and exec, on an fd that outlives the command.
    unsafe {
        cmd.pre_exec(move || if libc::setns(fd, libc::CLONE_NEWNET) == 0 { Ok(()) } else { Err(io::Error::last_os_error()) });
    }
    let mut child = cmd.spawn()?;
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        io::Write::write_all(&mut stdin, input)?;
    }
    let out = child.wait_with_output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(io::Error::other(String::from_utf8_lossy(&out.stderr).trim().to_string()))
    }
}

/// The host's own addresses, every interface's.
fn host_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs().map(|all| all.into_iter().map(|i| i.ip()).collect()).unwrap_or_default()
}

/// A connection to `port` on the loopback of the namespace `netns` (IPv4, else IPv6).
pub fn connect(netns: &File, port: u16) -> io::Result<TcpStream> {
    in_namespace(netns, move || {
        TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), CONNECT_TIMEOUT)
            .or_else(|e| TcpStream::connect_timeout(&SocketAddr::from((Ipv6Addr::LOCALHOST, port)), CONNECT_TIMEOUT).map_err(|_| e))
    })
}

/// A listener on a free port of the loopback of the namespace `netns` (made by a thread that
/// joins it; the socket stays there).
pub fn listen(netns: &File) -> io::Result<std::net::TcpListener> {
    in_namespace(netns, || std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
}

/// A connection to `to` made inside the namespace `netns`, marked [`EGRESS_MARK`].
pub fn connect_marked(netns: &File, to: SocketAddr) -> io::Result<TcpStream> {
    in_namespace(netns, move || {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, Some(socket2::Protocol::TCP))?;
        socket.set_mark(EGRESS_MARK)?;
        socket.connect_timeout(&to.into(), CONNECT_TIMEOUT)?;
        Ok(socket.into())
    })
}

/// Runs `f` on a short-lived thread that has joined the network namespace `netns`.
fn in_namespace<T: Send + 'static>(netns: &File, f: impl FnOnce() -> io::Result<T> + Send + 'static) -> io::Result<T> {
    let ns = netns.try_clone()?;
    std::thread::spawn(move || {
        // SAFETY: setns(2) on an fd we own; only this short-lived thread changes namespace.
        if unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
            return Err(io::Error::last_os_error());
        }
        f()
    })
    .join()
    .map_err(|_| io::Error::other("a thread in the sandbox's namespace failed"))?
}

/// The resolver file sandboxes get (slirp4netns's forwarder, then the host's search
/// domains and options), written under `dir`; and where it goes in a sandbox: the host's
/// `/etc/resolv.conf`, or the file it links to.
pub fn resolver(dir: &Path) -> io::Result<(PathBuf, PathBuf)> {
    let host = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let rest: String = host.lines().filter(|l| l.starts_with("search") || l.starts_with("options")).map(|l| format!("{l}\n")).collect();
    let file = dir.join("resolv.conf");
    std::fs::write(&file, format!("nameserver {DNS}\n{rest}"))?;
    let at = Path::new("/etc/resolv.conf");
    let target = match std::fs::read_link(at) {
        Ok(link) => at.parent().unwrap_or(Path::new("/")).join(link),
        Err(_) => at.to_path_buf(),
    };
    Ok((file, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(host_access: bool) -> Network {
        Network { slirp: "slirp4netns".into(), nft: "nft".into(), ip: "ip".into(), host_access, server_ports: vec![3986, 2222] }
    }

    #[test]
    fn allow_lists_are_normalized_cidrs() {
        assert_eq!(Policy::of(false, Some(" 10.1.2.3/8, 192.168.1.7/32 ,")).allow, ["10.0.0.0/8", "192.168.1.7/32"]);
        assert_eq!(Policy::of(false, Some("0.0.0.0/0")).allow, ["0.0.0.0/0"]);
        assert!(Policy::of(true, None).allow.is_empty());
    }

    #[test]
    fn rules_keep_loopback_and_links_and_reject_metadata_and_the_server() {
        let host = ["127.0.0.1".parse().unwrap(), "192.0.2.2".parse().unwrap(), "fd00::2".parse().unwrap()];
        let open = net(false).ruleset(&Policy::default(), &host, false);
        assert!(open.contains("}\nflush chain inet daytona output\nadd rule inet daytona output oif \"lo\" accept\n"), "{open}");
        for rule in ["oif \"lo\" accept", "oifname { \"eth1\", \"dlbridge\" } ip daddr 10.0.3.0/24 accept", "ip daddr 169.254.0.0/16 reject"] {
            assert!(open.contains(rule), "{rule} in {open}");
        }
        assert!(open.contains("ip daddr { 192.0.2.2 } tcp dport { 3986, 2222 } reject"), "{open}");
        assert!(!open.ends_with("output reject\n"), "no allow list: no final reject\n{open}");
        let opened = net(true).ruleset(&Policy::default(), &host, false);
        assert!(!opened.contains("dport { 3986"), "host access lets the server's ports through\n{opened}");

        let listed = net(false).ruleset(&Policy::of(false, Some("10.0.0.0/8")), &host, false);
        assert!(listed.ends_with("ip daddr { 10.0.0.0/8 } accept\nadd rule inet daytona output reject\n"), "{listed}");
        assert!(listed.contains("ip daddr 10.0.2.3 meta l4proto { tcp, udp } th dport 53 accept"), "{listed}");
        // Secrets mounted: web traffic goes to the egress proxy, whose own sockets pass.
        let intercepted = net(false).ruleset(&Policy { intercept: Some(40123), ..Policy::default() }, &host, false);
        assert!(intercepted.contains("chain egress {\n    type nat hook output priority -100;"), "{intercepted}");
        assert!(
            intercepted
                .contains("egress meta mark 0xd7 return\nadd rule inet daytona egress ip daddr != 127.0.0.0/8 tcp dport { 80, 443 } redirect to :40123\n"),
            "{intercepted}"
        );
        assert!(!open.contains("egress"), "no nat hook until needed\n{open}");
        let detached = net(false).ruleset(&Policy::default(), &host, true);
        assert!(detached.ends_with("flush chain inet daytona egress\n"), "{detached}");
        // Linked sandboxes stay reachable when everything else is blocked.
        let blocked = net(false).ruleset(&Policy::of(true, None), &host, false);
        assert!(blocked.find("10.0.3.0/24 accept").unwrap() < blocked.find("output reject\n").unwrap(), "{blocked}");
    }
}
