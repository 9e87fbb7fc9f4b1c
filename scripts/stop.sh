#!/usr/bin/env bash
# `npm stop`: shuts down every local stand-in started by `npm start` or `npm test`.
set -euo pipefail
bash "$(dirname "$0")/standins.sh" stop
