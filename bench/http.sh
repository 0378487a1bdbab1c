#!/bin/sh
# The speed benchmark (part of make bench): gazette serving its page of
# bench/sample.txt (about 15 KB with its comments) from the page cache, with
# the cache off, gzip and brotli; nginx serving gazette's own body of that
# page as a static file (sendfile, one worker), and with gzip_static; and
# bench/mhd_ref, the least a libmicrohttpd server can do (the floor).  Each
# server is pinned to CPU 0 and wrk to CPU 1; several rounds, medians.
# Prints req/s, p50 and p99 latency, and the server's CPU time per request
# (utime + stime from /proc/PID/stat before and after), then the ratios.
# Then: the uncached render time (bench/render_bench), and resident memory
# after importing BENCH_POSTS posts and serving 10,000 distinct pages.
# Everything listens on 127.0.0.1 only.  Figures, not a test: nothing here
# fails on speed.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
gz="$root/build/gazette"
rounds=${BENCH_ROUNDS:-3}
secs=${BENCH_SECONDS:-5}
posts=${BENCH_POSTS:-100000}
pages=${BENCH_PAGES:-10000}
conns=50
tck=$(getconf CLK_TCK)
base=$((20000 + $$ % 20000))
tmp=$(mktemp -d)
pids=""

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if [ "$(nproc)" -lt 2 ]; then
	echo "bench/http.sh: needs two CPUs (server on one, wrk on the other)" >&2
	exit 1
fi

# Waits until url answers (any status).
wait_up() {
	i=0
	until curl -s -o /dev/null "$1"; do
		i=$((i + 1))
		if [ "$i" -gt 200 ]; then
			echo "bench/http.sh: $1 does not answer" >&2
			exit 1
		fi
		sleep 0.05
	done
}

# CPU ticks (user + system) a process has used.
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# wrk's latency ("850.00us", "1.20ms", "2.00s") in microseconds.
usec() {
	echo "$1" | awk '{
		v = $1 + 0
		if ($1 ~ /us$/) print v
		else if ($1 ~ /ms$/) print v * 1000
		else if ($1 ~ /s$/) print v * 1000000
		else print v }'
}

# One round against a server: name pid url [header].  Appends
# "req/s p50us p99us cpu_us_per_request" to $tmp/NAME.
measure() {
	name=$1 pid=$2 url=$3 hdr=${4:-}
	if [ -n "$hdr" ]; then
		curl -s -o /dev/null -H "$hdr" "$url"
		t0=$(ticks "$pid")
		taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency \
		    -H "$hdr" "$url" >"$tmp/wrk.out"
	else
		curl -s -o /dev/null "$url"
		t0=$(ticks "$pid")
		taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency \
		    "$url" >"$tmp/wrk.out"
	fi
	t1=$(ticks "$pid")
	n=$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")
	rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/wrk.out")
	p50=$(usec "$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out")")
	p99=$(usec "$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out")")
	if grep -q 'Non-2xx' "$tmp/wrk.out"; then
		echo "bench/http.sh: $name: errors from $url" >&2
		cat "$tmp/wrk.out" >&2
	fi
	echo "$rps $p50 $p99 $(echo "$t0 $t1 $n $tck" |
	    awk '{ printf "%.2f", ($2 - $1) * 1e6 / $4 / $3 }')" >>"$tmp/r.$name"
}

# The median of column $2 of file $1.
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "== speed: one page, server on CPU 0, wrk on CPU 1, $conns connections," \
    "$rounds rounds of ${secs}s, medians"

# The site: the sample article and its comments, one worker thread.
site="$tmp/site"
"$gz" init "$site" >/dev/null
"$gz" -C "$site" import bench/sample.txt >"$tmp/import.out"
path=$(cut -f2 "$tmp/import.out")
site0="$tmp/site-nocache"
"$gz" init "$site0" >/dev/null
# The same database, the cache off (a later key wins over init's).
printf '\n[store]\ndb = sqlite:%s/gazette.db\n[cache]\nsize = 0\n' "$site" \
    >>"$site0/gazette.conf"

p_gz=$base p_nc=$((base + 1)) p_ng=$((base + 2)) p_mhd=$((base + 3))
taskset -c 0 "$gz" -C "$site" serve --listen "127.0.0.1:$p_gz" \
    --threads 1 2>"$tmp/gz.log" &
pid_gz=$!
pids="$pids $pid_gz"
taskset -c 0 "$gz" -C "$site0" serve --listen "127.0.0.1:$p_nc" \
    --threads 1 2>"$tmp/nc.log" &
pid_nc=$!
pids="$pids $pid_nc"
wait_up "http://127.0.0.1:$p_gz/healthz"
wait_up "http://127.0.0.1:$p_nc/healthz"

# gazette's own page, as nginx and mhd_ref will serve it.
mkdir -p "$tmp/www$(dirname "$path")" "$tmp/nginx/logs"
curl -s "http://127.0.0.1:$p_gz$path" >"$tmp/www$path"
gzip -9 -k "$tmp/www$path"
size=$(wc -c <"$tmp/www$path")
gzsize=$(wc -c <"$tmp/www$path.gz")
brsize=$(curl -s -H 'Accept-Encoding: br' "http://127.0.0.1:$p_gz$path" |
    wc -c)
echo "page $path: $size bytes, gzip $gzsize, brotli $brsize"
cache=$(curl -s -o /dev/null -D - "http://127.0.0.1:$p_gz$path" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')
if [ "$cache" != hit ]; then
	echo "bench/http.sh: gazette did not serve the page from its cache" \
	    "(X-Cache: $cache)" >&2
fi

cat >"$tmp/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	types { text/html html; }
	sendfile on;
	tcp_nopush on;
	keepalive_requests 10000000;
	server {
		listen 127.0.0.1:$p_ng;
		root $tmp/www;
		gzip_static on;
	}
}
EOF
taskset -c 0 nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" \
    -c "$tmp/nginx.conf" &
pid_ng=$!
pids="$pids $pid_ng"
taskset -c 0 build/bench/mhd_ref "$tmp/www$path" "$p_mhd" &
pid_mhd=$!
pids="$pids $pid_mhd"
# The same, with the very headers gazette sends (status line dropped).
curl -s -o /dev/null -D - "http://127.0.0.1:$p_gz$path" | tr -d '\r' |
    sed 1d >"$tmp/headers"
p_mhd2=$((base + 5))
taskset -c 0 build/bench/mhd_ref "$tmp/www$path" "$p_mhd2" "$tmp/headers" &
pid_mhd2=$!
pids="$pids $pid_mhd2"
wait_up "http://127.0.0.1:$p_ng$path"
wait_up "http://127.0.0.1:$p_mhd/"
wait_up "http://127.0.0.1:$p_mhd2/"

r=1
while [ "$r" -le "$rounds" ]; do
	measure cached "$pid_gz" "http://127.0.0.1:$p_gz$path"
	measure gzip "$pid_gz" "http://127.0.0.1:$p_gz$path" \
	    'Accept-Encoding: gzip'
	measure brotli "$pid_gz" "http://127.0.0.1:$p_gz$path" \
	    'Accept-Encoding: br'
	measure nocache "$pid_nc" "http://127.0.0.1:$p_nc$path"
	measure nginx "$pid_ng" "http://127.0.0.1:$p_ng$path"
	measure nginx_gzip "$pid_ng" "http://127.0.0.1:$p_ng$path" \
	    'Accept-Encoding: gzip'
	measure mhd_ref "$pid_mhd" "http://127.0.0.1:$p_mhd/"
	measure mhd_hdrs "$pid_mhd2" "http://127.0.0.1:$p_mhd2/"
	r=$((r + 1))
done

printf '%-26s %10s %10s %10s %12s\n' server req/s p50_us p99_us cpu_us/req
for n in cached gzip brotli nocache nginx nginx_gzip mhd_ref mhd_hdrs; do
	case $n in
	cached) label="gazette cached" ;;
	gzip) label="gazette cached gzip" ;;
	brotli) label="gazette cached brotli" ;;
	nocache) label="gazette cache off" ;;
	nginx) label="nginx static (sendfile)" ;;
	nginx_gzip) label="nginx gzip_static" ;;
	mhd_ref) label="mhd_ref (floor)" ;;
	mhd_hdrs) label="mhd_ref, gazette's headers" ;;
	esac
	printf '%-26s %10s %10s %10s %12s\n' "$label" "$(median "$tmp/r.$n" 1)" \
	    "$(median "$tmp/r.$n" 2)" "$(median "$tmp/r.$n" 3)" \
	    "$(median "$tmp/r.$n" 4)"
done
c=$(median "$tmp/r.cached" 4)
echo "ratios (goals in parentheses):"
echo "$c $(median "$tmp/r.nginx" 4) $(median "$tmp/r.mhd_ref" 4)" | awk '{
	printf "  cpu/req gazette cached / nginx static:  %.2f (<= 1)\n", $1 / $2
	printf "  cpu/req gazette cached / mhd_ref:       %.2f (<= 1.3)\n", $1 / $3 }'
echo "$c $(median "$tmp/r.mhd_hdrs" 4)" | awk '{
	printf "  cpu/req gazette cached / mhd_ref with the same headers: %.2f\n", \
	    $1 / $2 }'
echo "$(median "$tmp/r.gzip" 4) $(median "$tmp/r.nginx_gzip" 4)" | awk '{
	printf "  cpu/req gazette gzip / nginx gzip_static: %.2f (<= 1)\n", $1 / $2 }'
echo "$(median "$tmp/r.cached" 1) $(median "$tmp/r.gzip" 1) $(median "$tmp/r.brotli" 1)" |
    awk '{
	printf "  req/s gzip / identity:    %.2f (>= 0.9)\n", $2 / $1
	printf "  req/s brotli / identity:  %.2f (>= 0.9)\n", $3 / $1 }'
echo "  p99 gazette cached: $(median "$tmp/r.cached" 3) us (< 2000)"

kill "$pid_ng" "$pid_mhd" "$pid_mhd2" "$pid_nc" 2>/dev/null || true

echo "== uncached render (in-process, no HTTP)"
build/bench/render_bench "$site" "$path" 20000

kill "$pid_gz" 2>/dev/null || true
for p in $pids; do
	wait "$p" 2>/dev/null || true
done
pids=""

echo "== memory: $posts posts, $pages distinct pages served"
big="$tmp/big"
"$gz" init "$big" >/dev/null
# A Blogger export of synthetic posts: 50 labels, 10 years of dates.
awk -v n="$posts" 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	print "<feed xmlns=\"http://www.w3.org/2005/Atom\" " \
	    "xmlns:blogger=\"http://schemas.google.com/blogger/2018\">"
	print "<id>tag:blogger.com,1999:blog-1</id><title>Bench</title>"
	for (i = 1; i <= n; i++) {
		y = 2015 + i % 10; m = 1 + i % 12; d = 1 + i % 28
		printf "<entry><id>tag:blogger.com,1999:blog-1.post-%d</id>", i
		printf "<blogger:type>POST</blogger:type>"
		printf "<blogger:status>LIVE</blogger:status>"
		printf "<title>Report number %d from the harbour</title>", i
		printf "<content type=\"html\">&lt;p&gt;Report %d. The ferry " \
		    "council met on the quay to talk about timetables, " \
		    "fares, winter crossings and the market hall.&lt;/p&gt;" \
		    "&lt;p&gt;Islanders asked for later boats and cheaper " \
		    "passes; the crews asked for fewer night shifts in a " \
		    "row.&lt;/p&gt;</content>", i
		printf "<category term=\"Topic %d\"/>", i % 50
		printf "<blogger:filename>/%04d/%02d/report-%d.html" \
		    "</blogger:filename>", y, m, i
		printf "<published>%04d-%02d-%02dT%02d:00:00.000Z</published>", \
		    y, m, d, i % 24
		printf "<updated>%04d-%02d-%02dT%02d:00:00.000Z</updated>", \
		    y, m, d, i % 24
		print "</entry>"
	}
	print "</feed>" }' >"$tmp/big.xml"
start=$(date +%s)
"$gz" -C "$big" import "$tmp/big.xml" >/dev/null
echo "import: $(( $(date +%s) - start )) s"
p_big=$((base + 4))
"$gz" -C "$big" serve --listen "127.0.0.1:$p_big" 2>"$tmp/big.log" &
pid_big=$!
pids="$pid_big"
wait_up "http://127.0.0.1:$p_big/healthz"
# Post pages, label pages, archives and front pages, all distinct.
awk -v n="$posts" -v k="$pages" -v u="http://127.0.0.1:$p_big" 'BEGIN {
	for (j = 0; j < k; j++) {
		if (j % 10 == 1)
			printf "url = \"%s/search/label/Topic%%20%d?page=%d\"\n",
			    u, j % 50, 1 + int(j / 500)
		else if (j % 10 == 2)
			printf "url = \"%s/%04d/%02d/?page=%d\"\n", u,
			    2015 + j % 10, 1 + j % 12, 1 + int(j / 120)
		else if (j % 10 == 3)
			printf "url = \"%s/?page=%d\"\n", u, 1 + int(j / 10)
		else {
			i = 1 + (j * 7919) % n
			printf "url = \"%s/%04d/%02d/report-%d.html\"\n", u,
			    2015 + i % 10, 1 + i % 12, i
		}
		print "output = \"/dev/null\""
	} }' >"$tmp/urls"
start=$(date +%s)
curl -s -H 'Accept-Encoding: gzip, br' -K "$tmp/urls"
echo "served $pages pages in $(( $(date +%s) - start )) s"
awk '/^VmRSS|^VmHWM/ { printf "  %s %.1f MiB\n", $1, $2 / 1024 }' \
    "/proc/$pid_big/status"
curl -s "http://127.0.0.1:$p_big/metrics" | grep -E \
    '^gazette_cache_(entries|bytes|hits_total|misses_total|evictions_total) '
echo "  (goal: resident memory < 64 MiB)"
