#!/bin/sh
# The export and import benchmarks (make bench runs them from bench/run):
#   - a static export of BENCH_EXPORT_POSTS generated posts (default
#     10000) beside a Hugo build of the same posts, with the time and the
#     peak memory of each (/usr/bin/time -v) and their ratios;
#   - the import of a WXR file of BENCH_WXR_POSTS posts (default 100000);
#   - the peak memory of importing a WXR file of BENCH_BIG_MB megabytes
#     (default 1024) beside one a sixteenth of that size: an importer
#     that streams has the same peak for both.
# Figures only: nothing here passes or fails on speed.
set -eu
cd "$(dirname "$0")/.."
posts=${BENCH_EXPORT_POSTS:-10000}
wxr_posts=${BENCH_WXR_POSTS:-100000}
big_mb=${BENCH_BIG_MB:-1024}
gazette=$PWD/build/gazette
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# measure NAME CMD...: runs CMD under /usr/bin/time -v, sets NAME_s
# (seconds, wall clock), NAME_cpu (user + system seconds: on a shared
# machine the steadier figure) and NAME_mib (peak resident MiB).
measure() {
	name=$1
	shift
	if ! /usr/bin/time -v -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err"; then
		cat "$dir/err" "$dir/out" >&2
		exit 1
	fi
	eval "$(awk -v n="$name" '
	    /Elapsed \(wall clock\)/ {
		k = split($NF, t, ":"); s = 0
		for (i = 1; i <= k; i++) s = s * 60 + t[i]
		printf "%s_s=%.2f\n", n, s
	    }
	    /User time \(seconds\)|System time \(seconds\)/ { cpu += $NF }
	    END { printf "%s_cpu=%.2f\n", n, cpu }
	    /Maximum resident set size/ {
		printf "%s_mib=%.1f\n", n, $NF / 1024
	    }' "$dir/time")"
}

# A fresh site in $dir/$1.
site() {
	"$gazette" init "$dir/$1" >/dev/null
}

echo "== static export vs Hugo ($posts posts)"
node bench/gen.mjs wxr "$posts" "$dir/posts.xml" >/dev/null
node bench/gen.mjs hugo "$posts" "$dir/hugo" >/dev/null
site export
measure imp "$gazette" -C "$dir/export" import "$dir/posts.xml"
echo "import (WXR):        $imp_s s (cpu $imp_cpu s), peak $imp_mib MiB"
measure gz "$gazette" -C "$dir/export" export --format static "$dir/static"
files=$(find "$dir/static" -type f ! -name '*.gz' ! -name '*.br' | wc -l)
echo "gazette export:      $gz_s s (cpu $gz_cpu s), peak $gz_mib MiB" \
    "($files pages and" \
    "feeds, each with .gz and .br)"
measure hugo hugo --source "$dir/hugo" --destination "$dir/hugo-out" --quiet
files=$(find "$dir/hugo-out" -type f | wc -l)
echo "hugo:                $hugo_s s (cpu $hugo_cpu s), peak $hugo_mib MiB" \
    "($files files)"
awk -v g="$gz_s" -v h="$hugo_s" -v gc="$gz_cpu" -v hc="$hugo_cpu" \
    -v gm="$gz_mib" -v hm="$hugo_mib" 'BEGIN {
	printf "ratio:               gazette %.1fx faster than Hugo " \
	    "(%.1fx less cpu), %.1fx less memory " \
	    "(goal: 10x faster, < 100 MiB)\n", h / (g > 0 ? g : 0.01),
	    hc / (gc > 0 ? gc : 0.01), hm / (gm > 0 ? gm : 0.01)
}'
rm -rf "$dir/hugo" "$dir/hugo-out" "$dir/static" "$dir/export" \
    "$dir/posts.xml"

echo "== WXR import ($wxr_posts posts)"
node bench/gen.mjs wxr "$wxr_posts" "$dir/wxr.xml" >/dev/null
site wxr
measure wxr "$gazette" -C "$dir/wxr" import "$dir/wxr.xml"
echo "import:              $wxr_s s (cpu $wxr_cpu s), peak $wxr_mib MiB" \
    "($(du -m "$dir/wxr.xml" | cut -f1) MB)"
rm -rf "$dir/wxr" "$dir/wxr.xml"

echo "== WXR import memory ($big_mb MB file beside a 1/16 one)"
small_mb=$((big_mb / 16 > 0 ? big_mb / 16 : 1))
for mb in "$small_mb" "$big_mb"; do
	n=$(node bench/gen.mjs wxr-mb "$mb" "$dir/big.xml")
	site "big$mb"
	measure big "$gazette" -C "$dir/big$mb" import "$dir/big.xml"
	echo "import $mb MB ($n posts): $big_s s, peak $big_mib MiB"
	rm -rf "$dir/big$mb" "$dir/big.xml"
done
