#!/usr/bin/env bash
# Prints what sandboxes can leave on this host, one line per thing, sorted: processes in a
# daytona-local sandbox cgroup or running bubblewrap, daytona-local cgroups, loop devices
# (sandbox disks) and mounts of them. The test command runs it before and after the suites;
# a line that appears only after is something a test run left behind.
set -uo pipefail
for p in /proc/[0-9]*; do
  pid=${p#/proc/}
  [ "$pid" = "$$" ] && continue
  if grep -qs 'daytona-local-' "$p/cgroup" || [ "$(cat "$p/comm" 2>/dev/null)" = bwrap ]; then
    echo "process $pid $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null | cut -c1-120)"
  fi
done
find /sys/fs/cgroup -maxdepth 5 -type d -name 'daytona-local-*' 2>/dev/null | sed 's/^/cgroup /'
losetup -a 2>/dev/null | sed 's/^/loop /'
grep -s '^/dev/loop' /proc/mounts | sed 's/^/mount /'
true
