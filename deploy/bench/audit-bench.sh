#!/usr/bin/env bash
# Audit benchmark: a private ovs-vswitchd bridge holding FLOWS flows (default 100000) is audited
# AUDITS times (default 10) the way the controller's auditor does it (multipart read + decode +
# structural compare), then 1% of the flows are deleted and repaired in one bundle.
#   deploy/bench/audit-bench.sh [FLOWS] [AUDITS] [PERIOD_SECONDS]
# Needs the build: mvn -B -DskipTests install (or verify) once, so the test classes and
# controller/target/test-classpath.txt exist.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp="controller/target/test-classes:controller/target/classes:$(cat controller/target/test-classpath.txt)"
exec java -Xmx2g -cp "$cp" dev.sluice.controller.runtime.AuditBenchmark "$@"
