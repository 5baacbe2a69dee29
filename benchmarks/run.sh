#!/usr/bin/env bash
# Runs the whole benchmark: installs nginx and its echo module through apt when missing, builds what the
# benchmark needs with ./mvnw, starts nginx on 127.0.0.1 under a temporary prefix, runs every workload with
# every client (each in a fresh JVM), prints the Markdown table, writes it under
# benchmarks/target/benchmark-results/, and stops nginx again.
#
# Usage: benchmarks/run.sh [--quick] [--scale F] [--workloads steady,burst,...] [--clients reactor-netty,...] [--rounds N]
# Environment: BENCH_PORT (default 18080), the loopback port nginx listens on.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${BENCH_PORT:-18080}"
echo_module=/usr/lib/nginx/modules/ngx_http_echo_module.so

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

have_nginx() {
	{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && [ -f "$echo_module" ]
}

if ! have_nginx; then
	echo "Installing nginx and libnginx-mod-http-echo through apt ..."
	export DEBIAN_FRONTEND=noninteractive
	if ! as_root apt-get install -y --no-install-recommends nginx libnginx-mod-http-echo; then
		as_root apt-get update
		as_root apt-get install -y --no-install-recommends nginx libnginx-mod-http-echo
	fi
	# The Debian package starts a system nginx on port 80; the benchmark starts its own.
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

echo "Building the benchmark ..."
./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests

prefix="$(mktemp -d -t async-http-bench.XXXXXX)"
stop_nginx() {
	if [ -f "$prefix/nginx.pid" ]; then
		"$nginx_bin" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" -s stop || true
		for _ in $(seq 50); do [ -f "$prefix/nginx.pid" ] || break; sleep 0.1; done
	fi
	rm -rf "$prefix"
}
trap stop_nginx EXIT

mkdir -p "$prefix/bytes" "$prefix/logs" "$prefix/tmp"
head -c 1048576 /dev/urandom >"$prefix/bytes/1MiB"
head -c 268435456 /dev/urandom >"$prefix/bytes/256MiB"
sed "s/127\.0\.0\.1:18080/127.0.0.1:${port}/" benchmarks/nginx/nginx.conf >"$prefix/nginx.conf"
# nginx's workers run as an unprivileged user when started as root: they must be able to read the files.
chmod -R a+rX "$prefix"

"$nginx_bin" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log"
for _ in $(seq 100); do
	if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then break; fi
	sleep 0.1
done
upstream="$("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'), one worker, on http://127.0.0.1:${port} (benchmarks/nginx/nginx.conf)"

# The JVMs need more file descriptors than the usual soft limit for the bursts.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
	dev.asynchttp.benchmarks.Benchmark --base-url "http://127.0.0.1:${port}" --upstream "$upstream" \
	--command "benchmarks/run.sh${*:+ $*}" "$@"
