#!/usr/bin/env bash
# Runs the whole suite (npm test) on a busy machine: Debian's stress-ng keeps CPU workers
# spinning beside it (4 by default, STRESS_CPUS=n to change), as on a shared 2-core build host.
# The suite must pass like this: its tests wait on conditions, with timeouts sized to the work.
# Prints how long the run took; exits with npm test's status. Needs stress-ng
# (apt-get install -y stress-ng).
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "stress-ng is not installed: apt-get install -y stress-ng"
  echo "0 passed, 1 failed"
  exit 1
fi

cpus="${STRESS_CPUS:-4}"
stress-ng --cpu "$cpus" --timeout 0 --quiet &
stress_pid=$!
# Stop exactly the stress-ng this script started, however the run ends.
trap 'kill "$stress_pid" 2>/dev/null; wait "$stress_pid" 2>/dev/null' EXIT
echo "==> stress-ng --cpu $cpus running beside the suite (pid $stress_pid)"

start=$(date +%s)
npm test
status=$?
echo "==> npm test under stress-ng --cpu $cpus: exit $status after $(( $(date +%s) - start )) s"
exit $status
