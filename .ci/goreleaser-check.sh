#!/usr/bin/env bash
# Validates .goreleaser.yaml with the goreleaser version that builds with the
# Go here. Optional (the first run downloads and builds goreleaser: minutes),
# so .ci/run does not call it.
set -euo pipefail
cd "$(dirname "$0")/.."
go run github.com/goreleaser/goreleaser/v2@v2.16.0 check
