#!/usr/bin/env bash
# Installs what the tests need and runs every test: types, lint, formatting, checklist checks,
# unit/component/db tests, the build, the build test and the browser tests in Chromium.
# Ends with one line "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*"; failures+=("$*"); }
failures=()

step "Installing npm packages (npm ci)"
npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }

need_apt=()
command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "Installing Debian packages: ${need_apt[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null \
      || { echo "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null \
      || { echo "Could not install ${need_apt[*]} (needs root)"; echo "0 passed, 1 failed"; exit 1; }
  fi
fi

step "Type check (tsc -b)"
npx tsc -b || fail "type check"
step "Lint (eslint)"
npx eslint --max-warnings 0 . || fail "lint"
step "Formatting (prettier --check)"
npx prettier --check . >/dev/null || { npx prettier --check . ; fail "formatting"; }
if [ -f scripts/checklists-check.ts ]; then
  step "Checklist verification (npm run checklists:check)"
  npm run --silent checklists:check || fail "checklists:check"
fi
step "Build (vite build)"
npx vite build >/dev/null || fail "build"

step "Tests (vitest: unit, checklists, db, component, build, e2e)"
mkdir -p test-results
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_status=$?

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  try {
    const r = JSON.parse(fs.readFileSync("test-results/vitest.json", "utf8"));
    passed = r.numPassedTests; failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    if (!r.success && failed === 0) failed = 1;
  } catch { failed = 1; }
  const extra = Number(process.argv[1]);
  console.log(`\n${passed} passed, ${failed + extra} failed`);
' "${#failures[@]}"

if [ $vitest_status -ne 0 ] || [ ${#failures[@]} -gt 0 ]; then
  [ ${#failures[@]} -gt 0 ] && printf 'Failed checks: %s\n' "${failures[*]}"
  exit 1
fi
