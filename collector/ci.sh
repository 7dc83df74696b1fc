#!/usr/bin/env bash
# CI for the collector (called by .ci/run after the CLI's verify): PostgreSQL's server binaries and hll, Debian's chromium
# and chromium-driver (the dashboard's browser tests), then the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/lib/postgresql/15/bin/initdb || ! -f /usr/share/postgresql/15/extension/hll.control ]]; then
  echo "== installing PostgreSQL and its hll extension (Debian's postgresql, postgresql-15-hll) for the collector's tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql postgresql-15-hll
fi
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  echo "== installing chromium and chromium-driver (Debian's packages) for the dashboard's browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium chromium-driver
fi
echo "== collector: ./mvnw -B -f collector/pom.xml verify"
./mvnw -B -f collector/pom.xml verify
