//! Entering a running sandbox: what a process does between fork and exec to become one of
//! the sandbox's processes. Nothing here may allocate or lock (the parent has other
//! threads), so it is raw syscalls on data prepared before the fork. This is the step
//! bubblewrap has no option for (it makes namespaces; it does not join a set of them and
//! cgroups), and spawning `nsenter` plus a second tool per command cost ~10 ms where this
//! costs well under one.

use std::ffi::{c_int, CString};
use std::io;
use std::os::fd::RawFd;

/// Everything the child needs, made before the fork.
pub struct Entry {
    /// `cgroup.procs` files to write "0" (this process) into.
    pub procs: Vec<CString>,
    /// Namespaces joined in the spawning process itself: (fd, type); the mount one last.
    pub namespaces: Vec<(RawFd, c_int)>,
    /// The PID namespace, which only children of the joining process enter.
    pub pid_ns: RawFd,
    /// The working directory, as the sandbox sees it.
    pub cwd: CString,
    /// The highest capability number this kernel knows.
    pub last_cap: c_int,
}

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

const CAPABILITY_VERSION_3: u32 = 0x2008_0522;

fn check(ret: impl Into<i64>) -> io::Result<()> {
    if ret.into() < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Writes "0" (the writing process) into each `cgroup.procs` file.
///
/// # Safety
/// Async-signal-safe: fit for a `pre_exec` hook.
pub unsafe fn join_cgroups(procs: &[CString]) -> io::Result<()> {
    for p in procs {
        let fd = libc::open(p.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        check(fd)?;
        let written = libc::write(fd, b"0".as_ptr().cast(), 1);
        libc::close(fd);
        check(written as i64)?;
    }
    Ok(())
}

/// Runs in the forked child. Joins the cgroups and namespaces, then forks once more so the
/// program is inside the PID namespace: this process stays outside as its parent, waits,
/// and exits with its status (so the server's handle, its process group and its exit code
/// all still work); the new child drops every capability and returns to exec the program.
///
/// # Safety
/// Only between fork and exec, as a `pre_exec` hook.
pub unsafe fn enter(e: &Entry) -> io::Result<()> {
    join_cgroups(&e.procs)?;
    for &(fd, kind) in &e.namespaces {
        check(libc::setns(fd, kind))?;
    }
    check(libc::chdir(e.cwd.as_ptr()))?;
    check(libc::setns(e.pid_ns, libc::CLONE_NEWPID))?;
    let pid = libc::fork();
    check(pid)?;
    if pid > 0 {
        // Close everything, the spawner's exec-status pipe included, so that it hears of
        // the program's exec (or its failure) from the program, not from this waiter.
        libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
        let mut status = 0;
        while libc::waitpid(pid, &mut status, 0) < 0 {
            if *libc::__errno_location() != libc::EINTR {
                libc::_exit(255);
            }
        }
        libc::_exit(if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 128 + libc::WTERMSIG(status) });
    }
    for cap in 0..=e.last_cap {
        check(libc::prctl(libc::PR_CAPBSET_DROP, cap as libc::c_ulong, 0, 0, 0))?;
    }
    check(libc::prctl(libc::PR_CAP_AMBIENT, libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong, 0, 0, 0))?;
    let header = CapHeader { version: CAPABILITY_VERSION_3, pid: 0 };
    let data = [CapData { effective: 0, permitted: 0, inheritable: 0 }; 2];
    check(libc::syscall(libc::SYS_capset, &header, data.as_ptr()))?;
    Ok(())
}
