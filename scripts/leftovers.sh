#!/usr/bin/env bash
# Prints what sandboxes were left on this host by daytona-local servers that are no longer
# running, one line per thing, sorted: processes in such a server's cgroups (every sandbox
# process, holder and pool process is in one), the cgroups themselves (named after the
# server's pid), orphaned slirp4netns, and loop devices (sandbox disks) whose image file is
# gone. Servers that still run are not counted: they may be someone else's. The test command runs it before and
# after the suites; a line that appears only after is something the run left behind.
set -uo pipefail
# A server is gone when its pid is gone, a zombie, or reused by something else.
dead() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" != daytona-local ] || grep -qs '^[0-9]* (.*) Z' "/proc/$1/stat"; }
for p in /proc/[0-9]*; do
  server=$(grep -oPs 'daytona-local-\K\d+' "$p/cgroup" | head -1)
  if [ -n "$server" ] && dead "$server"; then
    echo "process ${p#/proc/} (server $server) $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null | cut -c1-100)"
  fi
done
# A sandbox network's slirp4netns ends with its server (its exit pipe closes); one whose
# parent is gone was left behind.
for p in /proc/[0-9]*; do
  if [ "$(cat "$p/comm" 2>/dev/null)" = slirp4netns ] && [ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = 1 ]; then
    echo "process ${p#/proc/} slirp4netns (orphaned)"
  fi
done
find /sys/fs/cgroup -maxdepth 5 -type d -name 'daytona-local-*' 2>/dev/null | while read -r dir; do
  dead "${dir##*daytona-local-}" && echo "cgroup $dir"
done
losetup --list --noheadings --output NAME,BACK-FILE 2>/dev/null | while read -r dev file; do
  case "$file" in
    *'(deleted)') echo "loop $dev $file" ;;
    *) [ -e "$file" ] || echo "loop $dev $file" ;;
  esac
done
true
