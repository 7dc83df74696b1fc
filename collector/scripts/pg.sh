#!/usr/bin/env bash
# A throwaway PostgreSQL 15 (Debian's server binaries) for the collector's tests, `quarkus dev`, the
# try-out and the benchmark: its files under collector/target/, loopback only, as a non-root user.
#
#   pg.sh start [DIR]   initialise DIR (default collector/target/pg) if needed, start on a free port, print env
#   pg.sh env   [DIR]   print the settings of a started server: eval "$(collector/scripts/pg.sh env)"
#   pg.sh stop  [DIR]   stop the server (its files stay: start again, same port when free, else it says so)
#   pg.sh clean [DIR]   stop and delete everything
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
command=${1:-}
dir=${2:-$here/target/pg}
bin=${ROAR_PG_BIN:-/usr/lib/postgresql/15/bin}
db=roar
user=roar
password=roar

die() { echo "pg.sh: $*" >&2; exit 2; }

[[ -x $bin/initdb && -x $bin/pg_ctl ]] || die "$bin/initdb not found: install Debian's postgresql package (apt-get install -y postgresql)"
# the rollups' distinct-install sketches need the hll extension (docs/collector.md#rollups)
[[ -f $("$bin/pg_config" --sharedir)/extension/hll.control ]] \
  || die "the hll extension is not installed: apt-get install -y postgresql-15-hll"

# The server refuses to run as root: as root, the files belong to and the server runs as an unprivileged user.
owner=
if [[ $(id -u) == 0 ]]; then
  owner=postgres
  if ! id "$owner" >/dev/null 2>&1; then
    owner=roarpg
    id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
fi
as_owner() {
  if [[ -n $owner ]]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

data=$dir/data
log=$dir/server.log

port_of() { cat "$dir/port" 2>/dev/null || true; }

print_env() {
  local port
  port=$(port_of)
  [[ -n $port ]] || die "no server in $dir: run pg.sh start first"
  cat <<ENV
export QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$port/$db
export QUARKUS_DATASOURCE_USERNAME=$user
export QUARKUS_DATASOURCE_PASSWORD=$password
export PGHOST=127.0.0.1
export PGPORT=$port
export PGUSER=$user
export PGPASSWORD=$password
export PGDATABASE=$db
ENV
}

running() { [[ -d $data ]] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

init() {
  mkdir -p "$dir"
  local real=$data
  if [[ -n $owner ]] && ! runuser -u "$owner" -- test -x "$dir"; then
    # a parent directory the server's user may not enter (a private home): the files live in /tmp, linked here
    real=$(mktemp -d /tmp/roar-collector-pg.XXXXXX)
    chmod 0755 "$real"
    real=$real/data
  fi
  mkdir -p "$real"
  [[ $real == "$data" ]] || ln -sfn "$real" "$data"
  local pwfile
  pwfile=$(mktemp "$(dirname "$real")/pw.XXXXXX")
  printf '%s\n' "$password" > "$pwfile"
  if [[ -n $owner ]]; then chown "$owner" "$real" "$pwfile"; fi
  chmod 0700 "$real"
  as_owner "$bin/initdb" -D "$real" -U "$user" --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --no-locale \
    >"$dir/initdb.log" 2>&1 || { rm -f "$pwfile"; cat "$dir/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  cat >> "$real/postgresql.conf" <<CONF
# pg.sh: loopback only, TCP only (a socket path under a deep work tree can exceed the 107-byte limit)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 60
shared_buffers = 128MB
logging_collector = off
CONF
}

start_on() {
  local port=$1
  : > "$log"
  if [[ -n $owner ]]; then chown "$owner" "$log"; fi
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 -o "-p $port" start >/dev/null 2>&1
}

start() {
  if running; then print_env; return; fi
  [[ -f $data/PG_VERSION ]] || init
  local port attempt previous
  port=$(port_of)
  previous=$port
  for attempt in $(seq 1 20); do
    if [[ -z $port ]] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      port=$(( 20000 + RANDOM % 40000 ))
      continue
    fi
    if start_on "$port"; then
      echo "$port" > "$dir/port"
      break
    fi
    grep -q "could not bind\|in use" "$log" || { cat "$log" >&2; die "the server did not start (log above)"; }
    port=
  done
  running || die "no free port found after 20 attempts"
  if [[ -n $previous && $previous != "$port" ]]; then
    # a client holds the URL it was started with: a running collector keeps trying the old port
    echo "pg.sh: port $previous is taken now: the server listens on $port; restart what was started with the old port (the collector reads its JDBC URL at start)" >&2
  fi
  if [[ ! -f $dir/created ]]; then
    PGPASSWORD=$password "$bin/psql" -q -h 127.0.0.1 -p "$port" -U "$user" -d postgres \
      -c "CREATE DATABASE $db" >/dev/null
    touch "$dir/created"
  fi
  print_env
}

stop() {
  if running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null; fi
}

case $command in
  start) start ;;
  env) running || die "no server running in $dir"; print_env ;;
  stop) stop ;;
  clean)
    stop
    real=$(readlink -f "$data" 2>/dev/null || true)
    if [[ -n $real && $real == /tmp/roar-collector-pg.* ]]; then rm -rf "$(dirname "$real")"; fi
    rm -rf "$dir" ;;
  *) echo "usage: pg.sh start|env|stop|clean [DIR]" >&2; exit 2 ;;
esac
