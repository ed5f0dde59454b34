#!/usr/bin/env bash
# Assembles the self-contained distribution (docs/operations.md, "Installing"): a jlinked Java runtime, the server
# (its quarkus-app folder), the CLI and simulator jars and the launcher, as updraft-<version>/ and
# updraft-<version>-linux-x64.tar.gz in distribution/target. Run by the distribution module at `package`.
#
# usage: assemble.sh VERSION JAVA_HOME REPO_ROOT MODULES
set -euo pipefail

VERSION="$1" JDK="$2" ROOT="$3" MODULES="$4"
TARGET="$ROOT/distribution/target"
NAME="updraft-$VERSION"
STAGE="$TARGET/$NAME"
ARCHIVE="$TARGET/$NAME-linux-x64.tar.gz"

for f in "$ROOT/server/target/quarkus-app/quarkus-run.jar" "$ROOT/cli/target/updraft-cli.jar" \
         "$ROOT/device-sim/target/updraft-sim.jar"; do
  [[ -f "$f" ]] || { echo "assemble.sh: ${f#"$ROOT"/} is missing: package the server, cli and device-sim modules first" >&2; exit 1; }
done
[[ -x "$JDK/bin/jlink" ]] || { echo "assemble.sh: no jlink in $JDK: build with a JDK 17, not a JRE" >&2; exit 1; }

rm -rf "$STAGE" "$ARCHIVE"
mkdir -p "$STAGE/lib"
# The runtime: only the modules the jars use (the list is in distribution/pom.xml, found with jdeps), without debug
# information, man pages or headers, with a class-data archive of the JDK's own classes. jlink is the slow step (about
# 20 s of CPU): its image is kept in target/jlink/<key> and reused while the JDK and the module list stay the same.
KEY="$( { "$JDK/bin/java" -version 2>&1; echo "$MODULES"; } | sha256sum | cut -c1-16)"
RUNTIME="$TARGET/jlink/$KEY"
if [[ ! -x "$RUNTIME/bin/java" ]]; then
  rm -rf "$TARGET/jlink"
  mkdir -p "$TARGET/jlink"
  "$JDK/bin/jlink" --add-modules "$MODULES" --output "$RUNTIME" \
    --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive
fi
cp -R "$RUNTIME" "$STAGE/runtime"
cp -R "$ROOT/server/target/quarkus-app" "$STAGE/server"
cp "$ROOT/cli/target/updraft-cli.jar" "$ROOT/device-sim/target/updraft-sim.jar" "$STAGE/lib/"
mkdir -p "$STAGE/bin"
install -m 0755 "$ROOT/distribution/src/main/dist/bin/updraft" "$STAGE/bin/updraft"
mkdir -p "$STAGE/deploy" "$STAGE/docs"
cp "$ROOT/deploy/updraft.service" "$ROOT/deploy/updraft.env" "$STAGE/deploy/"
cp "$ROOT/docs/operations.md" "$ROOT/README.md" "$STAGE/docs/"
echo "$VERSION" > "$STAGE/VERSION"
# Owner-writable, readable by all; entries owned by root:root and timestamped with the build's reproducible time.
chmod -R u+rwX,go+rX,go-w "$STAGE"
# gzip -1: the jars are compressed already, a higher level saves little and costs every build seconds of CPU.
tar --owner=0 --group=0 --numeric-owner --sort=name --mtime="@${SOURCE_DATE_EPOCH:-0}" \
  -C "$TARGET" -cf - "$NAME" | gzip -1 -n > "$ARCHIVE"
echo "assemble.sh: wrote ${ARCHIVE#"$ROOT"/} ($(du -h "$ARCHIVE" | cut -f1))"
