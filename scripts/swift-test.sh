#!/usr/bin/env bash
# The Swift test suites (unit, store contract, API, real charon / namespaces where root), on an existing
# `swift build --build-tests`. Fails when the runner reports no passing run.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp /tmp/vpnaas-swift-test.XXXXXX)
trap 'rm -f "$log"' EXIT
swift test --skip-build 2>&1 | tee "$log"
grep -qE "Test run with [0-9]+ tests? .*passed" "$log"
