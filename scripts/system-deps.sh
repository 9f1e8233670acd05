#!/usr/bin/env bash
# Checks the Debian packages the test suites need and installs the missing ones with apt-get when
# it can (root, apt-get present); otherwise stops with the exact command to run.
set -euo pipefail

# package:file-it-provides
required=(
  "awscli:/usr/bin/aws"
  "chromium:/usr/bin/chromium"
)

missing=()
for entry in "${required[@]}"; do
  package=${entry%%:*}
  file=${entry#*:}
  [ -x "$file" ] || missing+=("$package")
done

[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "pretest: installing missing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "pretest: apt-get could not install ${missing[*]}." >&2
fi
echo "pretest: the test suites need these Debian packages: ${missing[*]}" >&2
echo "Install them, then run npm test again:" >&2
if [ "$(id -u)" -eq 0 ]; then echo "  $command" >&2; else echo "  sudo sh -c '$command'" >&2; fi
exit 1
