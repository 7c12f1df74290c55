#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `pgserver.sh start DIR` installs PostgreSQL from the
# Debian packages when it is missing, makes a cluster in DIR (as the unprivileged `postgres` user when
# run as root), starts it on 127.0.0.1 at a free port and prints its URL; `pgserver.sh stop DIR` stops
# it and removes DIR.
set -euo pipefail

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    return 1
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 || { echo "没有 PostgreSQL，也没有 apt-get 可以安装它" >&2; exit 1; }
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "安装 PostgreSQL（Debian 软件包）…" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "用法：$0 start|stop DIR" >&2; exit 2; }

case "$cmd" in
start)
    bin=$(find_bin) || { install_postgres; bin=$(find_bin); }
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
        chown postgres "$dir"
        chmod o+x "$(dirname "$dir")"  # the server's own user must reach its folder
    fi
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    bin=$(find_bin) || exit 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "用法：$0 start|stop DIR" >&2; exit 2 ;;
esac
