#!/usr/bin/env bash
# Builds porter_<version>_<arch>.deb with dpkg-deb: the binary (the Swift runtime linked in, so
# the machine needs no Swift), the systemd unit, /etc/porter/porter.yaml, a man page generated
# from the argument parser, shell completions, the Grafana dashboard and the Prometheus alerts.
#   scripts/deb.sh [release|debug] [OUTPUT_DIR]   (make deb: release, into .build/deb)
# Prints the package's path.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration="${1:-release}"
out="${2:-.build/deb}"
swift="${SWIFT:-swift}"

# The Swift runtime and Foundation linked statically. SwiftPM's static link leaves out
# Foundation's own libraries; they are named after it.
flags=(-c "$configuration" --product porter --static-swift-stdlib)
for lib in Foundation FoundationEssentials CoreFoundation _FoundationICU _FoundationCShims _FoundationCollections swiftSynchronization; do
  flags+=(-Xlinker "-l$lib")
done
[[ "$configuration" == release ]] && flags+=(-Xswiftc -enforce-exclusivity=unchecked)
"$swift" build "${flags[@]}" >&2
binary="$("$swift" build "${flags[@]}" --show-bin-path)/porter"
# argument-parser's generate-manual writes the man page from the binary's own help.
"$swift" build --product generate-manual >&2
tools="$("$swift" build --show-bin-path)"

version="$("$binary" --version)"
arch="$(dpkg --print-architecture)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$binary" "$root/usr/bin/porter"
strip --strip-unneeded "$root/usr/bin/porter"
install -D -m 0644 dist/porter.service "$root/lib/systemd/system/porter.service"
install -D -m 0644 dist/porter.yaml "$root/etc/porter/porter.yaml"
mkdir -p "$root/usr/share/man/man1"
"$tools/generate-manual" "$root/usr/bin/porter" --section 1 --date "$(date -u +%F)" \
  --authors 'The Porter developers' --output-directory "$root/usr/share/man/man1" >&2
# A blank line in a command's discussion is a paragraph break in mdoc.
sed -i 's/^$/.Pp/' "$root/usr/share/man/man1/"*.1
gzip -9n "$root/usr/share/man/man1/"*.1
completion() { "$root/usr/bin/porter" --generate-completion-script "$1" | install -D -m 0644 /dev/stdin "$root/$2"; }
completion bash usr/share/bash-completion/completions/porter
completion zsh usr/share/zsh/vendor-completions/_porter
completion fish usr/share/fish/vendor_completions.d/porter.fish
install -D -m 0644 dist/grafana/porter.json "$root/usr/share/porter/grafana/porter.json"
install -D -m 0644 dist/prometheus/porter-rules.yml "$root/usr/share/porter/prometheus/porter-rules.yml"
install -D -m 0644 README.md "$root/usr/share/doc/porter/README.md"
for example in config/*.yaml; do install -D -m 0644 "$example" "$root/usr/share/doc/porter/examples/${example##*/}"; done
printf 'Porter %s\nCopyright: the Porter developers\n' "$version" > "$root/usr/share/doc/porter/copyright"

# Depends: the Debian package of each shared library the binary still loads.
depends=$(ldd "$root/usr/bin/porter" | awk '/=> \//{print $3}' | while read -r lib; do
  dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || true
done | cut -d: -f1 | sort -u | paste -sd, - | sed 's/,/, /g')
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: porter
Version: $version
Architecture: $arch
Maintainer: The Porter developers <porter@localhost>
Depends: $depends
Suggests: redis-server, redis-sentinel
Section: database
Priority: optional
Installed-Size: $(du -sk "$root" | cut -f1)
Description: session-aware Redis sidecar
 Porter runs beside each web server and speaks the Redis protocol: connection
 pooling and pipelining, replica reads with health checks, Sentinel failover
 following, twemproxy-compatible sharding and Redis Cluster, and a staged move
 of sessions from Memcached, MySQL or PHP session files to Redis. It runs under
 systemd as porter.service (Type=notify).
CONTROL
echo /etc/porter/porter.yaml > "$root/DEBIAN/conffiles"
# Under systemd: enabled and started on a first install; on an upgrade the running Porter is
# told to take over with the new binary (SIGUSR2), so no client is dropped.
cat > "$root/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
# Not when installing into another root (DPKG_ROOT): that is not this machine's systemd.
if [ "$1" = configure ] && [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
  if [ -z "$2" ]; then
    systemctl enable --now porter.service || true
  elif systemctl is-active --quiet porter.service; then
    systemctl kill --signal=SIGUSR2 --kill-whom=main porter.service || true
  fi
fi
SCRIPT
cat > "$root/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
  systemctl disable --now porter.service || true
fi
SCRIPT
cat > "$root/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
set -e
if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
SCRIPT
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
mkdir -p "$out"
rm -f "$out"/porter_*.deb
package="$out/porter_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$package" >&2
echo "$package"
