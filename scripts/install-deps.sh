#!/usr/bin/env bash
# Installs what Porter's run, test and bench commands need, only where it is missing.
# Safe to run again; used by `make run`, `make test` and `make bench`.
set -euo pipefail

need=()
command -v redis-server    >/dev/null || need+=(redis-server)
command -v redis-cli       >/dev/null || need+=(redis-tools)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
command -v redis-sentinel  >/dev/null || need+=(redis-sentinel)
# Every build links the MySQL/MariaDB session store's libmariadb (headers and pkg-config file),
# so `make run` needs it too.
pkg-config --exists libmariadb 2>/dev/null || need+=(libmariadb-dev pkg-config)
# `make run-sharded` starts nutcracker beside Porter, with the same ring.
[[ " $* " == *" --with-nutcracker "* ]] && { command -v nutcracker >/dev/null || need+=(nutcracker); }
# `make profile` counts instructions with valgrind's callgrind (objcopy and cc for its set-up).
[[ " $* " == *" --with-profile "* ]] && {
  command -v valgrind >/dev/null || need+=(valgrind)
  command -v objcopy  >/dev/null || need+=(binutils)
  command -v cc       >/dev/null || need+=(gcc libc6-dev)
}
# `make deb` strips the binary.
[[ " $* " == *" --with-deb "* ]] && { command -v strip >/dev/null || need+=(binutils); }
if [[ "${1:-}" != "--run-only" ]]; then
  command -v nutcracker >/dev/null || need+=(nutcracker)
  command -v memcached  >/dev/null || need+=(memcached)
  command -v mariadbd   >/dev/null || need+=(mariadb-server)
  command -v haproxy    >/dev/null || need+=(haproxy)
  # The TLS tests and `make bench` make their certificates with openssl.
  command -v openssl    >/dev/null || need+=(openssl)
  command -v php        >/dev/null || need+=(php-cli)
  php -m 2>/dev/null | grep -x redis >/dev/null || need+=(php-redis)
  php -m 2>/dev/null | grep -x memcached >/dev/null || need+=(php-memcached)
  php -m 2>/dev/null | grep -x mysqli >/dev/null || need+=(php-mysql)
  command -v python3    >/dev/null || need+=(python3 python3-pip)
  # The console test loads Porter's admin page in a real headless browser.
  command -v chromium   >/dev/null || need+=(chromium)
  command -v curl       >/dev/null || need+=(curl)
  # The client libraries of README § Clients, each tested through Porter (ClientLibraryTests).
  [[ -f /usr/share/php/Predis/Autoloader.php ]] || need+=(php-predis)
  /usr/bin/python3 -c 'import django, redis_sessions' 2>/dev/null || need+=(python3-django python3-django-redis-sessions)
  command -v node       >/dev/null || need+=(nodejs)
  [[ -d /usr/share/nodejs/redis ]] || need+=(node-redis)
  command -v ruby       >/dev/null || need+=(ruby)
  ruby -e 'require "redis"' 2>/dev/null || need+=(ruby-redis)
  command -v go         >/dev/null || need+=(golang-go)
  [[ -d /usr/share/gocode/src/gopkg.in/redis.v5 ]] || need+=(golang-gopkg-redis.v5-dev)
  command -v cc         >/dev/null || need+=(gcc libc6-dev)
  [[ -f /usr/include/hiredis/hiredis.h ]] || need+=(libhiredis-dev)
  # dist/porter.service is checked with systemd-analyze; the alert rules with promtool.
  command -v systemd-analyze >/dev/null || need+=(systemd)
  command -v promtool   >/dev/null || need+=(prometheus)
  # The package test builds a .deb (strip) and reads its man page (man).
  command -v strip      >/dev/null || need+=(binutils)
  command -v man        >/dev/null || need+=(man-db)
fi

if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts the packaged servers; Porter's scripts start their own on other ports.
  for service in redis-server redis-sentinel nutcracker haproxy memcached mariadb prometheus; do
    (service "$service" stop || systemctl stop "$service") >/dev/null 2>&1 || true
  done
fi

if [[ "${1:-}" != "--run-only" ]]; then
  if ! python3 -c 'import redis' 2>/dev/null; then
    echo "installing: redis-py (pip)"
    python3 -m pip install --quiet 'redis>=5' 2>/dev/null \
      || python3 -m pip install --quiet --break-system-packages 'redis>=5'
  fi
fi
