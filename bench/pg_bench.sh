#!/bin/sh
# Copyright (c) 2026 The gazette authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
#
# bench/pg_bench.sh: post-page throughput of `gazette serve` on
# PostgreSQL against SQLite, with the same site, in the same run; then
# two nodes on one PostgreSQL against one.  wrk drives each server on
# 127.0.0.1 for BENCH_SECONDS (default 5) with BENCH_CONNS connections
# (default 16).  Under tests/pg when no server is given, so it needs
# nothing set up.  Prints figures; never fails on speed.
#
# Each engine runs twice: with the page cache (the default) and without
# it ([cache] size = 0, every request reads the store), on the same
# database.
set -eu
cd "$(dirname "$0")/.."
if [ -z "${GAZETTE_TEST_PG:-}" ]; then
	exec sh tests/pg sh bench/pg_bench.sh "$@"
fi
secs=${BENCH_SECONDS:-5}
conns=${BENCH_CONNS:-16}
posts=${BENCH_POSTS:-500}
bin=$(pwd)/build/gazette
dir=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

db="gazette_bench_$$"
psql -qAt "$GAZETTE_TEST_PG" -c "CREATE DATABASE $db"
pgurl=$(printf '%s' "$GAZETTE_TEST_PG" | sed "s|/[^/?]*?|/$db?|")

# The site: generated posts of a few hundred words, labels, comments.
mkdir "$dir/in"
i=0
while [ "$i" -lt "$posts" ]; do
	d=$(( i % 28 + 1 ))
	{
		printf '2023-%02d-%02d\n' $(( i % 12 + 1 )) "$d"
		printf 'Harbour report number %d\n' "$i"
		j=0
		while [ "$j" -lt 8 ]; do
			printf 'The fishing boats came back at dawn with a '
			printf 'catch of %d crates, and the market by the quay ' "$j"
			printf 'sold out before noon while the gulls waited.\n'
			j=$((j + 1))
		done
		printf 'KEYWORDS :\nHarbour\nMarket %d\n' $(( i % 10 ))
	} >"$dir/in/p$i.txt"
	i=$((i + 1))
done

"$bin" init "$dir/sqlite" >/dev/null
"$bin" init --db "$pgurl" "$dir/pga" >/dev/null
"$bin" init --db "$pgurl" "$dir/pgb" >/dev/null
cp "$dir/pga/secret.key" "$dir/pgb/secret.key"
"$bin" -C "$dir/sqlite" import "$dir"/in/*.txt >/dev/null
"$bin" -C "$dir/pga" import "$dir"/in/*.txt >/dev/null
page=$("$bin" -C "$dir/sqlite" post list | head -1 | cut -f4)
# The same sites with the cache off: another folder, the same database.
uncached() {	# $1 site, $2 its store URL
	mkdir "$1-nc"
	cp "$1/secret.key" "$1-nc/"
	# sed would read the URL's & and | as its own.
	url=$(printf '%s' "$2" | sed 's/[&|\\]/\\&/g')
	sed "s|^db = .*|db = $url|" "$1/gazette.conf" >"$1-nc/gazette.conf"
	printf '\n[cache]\nsize = 0\n' >>"$1-nc/gazette.conf"
}
uncached "$dir/sqlite" "sqlite:$dir/sqlite/gazette.db"
uncached "$dir/pga" "$pgurl"

port=$(( 20000 + $$ % 10000 ))
# Starts a node on site $1 and sets $srv to its URL.  Not in a command
# substitution: that would wait for the server to close its stdout.
start() {
	port=$((port + 1))
	"$bin" -C "$1" serve --listen "127.0.0.1:$port" >"$dir/log" 2>&1 &
	pids="$pids $!"
	n=0
	until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
		n=$((n + 1))
		[ "$n" -lt 100 ] || {
			echo "server on $1 did not start:" >&2
			cat "$dir/log" >&2
			exit 1
		}
		sleep 0.1
	done
	srv="http://127.0.0.1:$port"
}
rps() {	# $1 URL, $2 path: requests a second, after a second of warm-up
	wrk -t1 -c"$conns" -d1s "$1${2:-$page}" >/dev/null
	wrk -t1 -c"$conns" -d"${secs}s" "$1${2:-$page}" |
	    awk '/Requests\/sec/ { printf "%.0f", $2 }'
}

start "$dir/sqlite"
sq=$srv
start "$dir/pga"
pa=$srv
start "$dir/pgb"
pb=$srv
start "$dir/sqlite-nc"
sqn=$srv
start "$dir/pga-nc"
pan=$srv
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "== post page (${secs}s, $conns connections, $posts posts)"
s=$(rps "$sq")
p=$(rps "$pa")
sn=$(rps "$sqn")
pn=$(rps "$pan")
echo "sqlite, cached          $s req/s"
echo "postgres, cached        $p req/s"
echo "postgres / sqlite       $(ratio "$p" "$s")"
echo "sqlite, uncached        $sn req/s"
echo "postgres, uncached      $pn req/s"
echo "postgres / sqlite       $(ratio "$pn" "$sn")"
echo "== search page, /search?q=market+quay (one node)"
ss=$(rps "$sqn" "/search?q=market+quay")
sp=$(rps "$pan" "/search?q=market+quay")
echo "sqlite                  $ss req/s"
echo "postgres                $sp req/s"
# Both nodes at once, as behind a load balancer (one wrk each), with
# the cache off so that the database is what is shared.
uncached "$dir/pgb" "$pgurl"
start "$dir/pgb-nc"
pbn=$srv
echo "== post page, uncached, two nodes on one PostgreSQL"
wrk -t1 -c"$conns" -d1s "$pbn$page" >/dev/null
wrk -t1 -c"$conns" -d"${secs}s" "$pan$page" >"$dir/wa" &
w1=$!
wrk -t1 -c"$conns" -d"${secs}s" "$pbn$page" >"$dir/wb" &
w2=$!
wait "$w1" "$w2"
two=$(cat "$dir/wa" "$dir/wb" | awk '/Requests\/sec/ { s += $2 } END { printf "%.0f", s }')
echo "postgres, two nodes     $two req/s"
echo "two nodes / one         $(ratio "$two" "$pn")"
psql -qAt "$GAZETTE_TEST_PG" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null 2>&1 || true
