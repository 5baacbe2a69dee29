#!/usr/bin/env bash
# Benchmark of shared rate limits (rate-limit.shared) through one local Redis: installs redis-server
# through apt when missing, builds the benchmark with ./mvnw, starts redis-server on 127.0.0.1 without
# persistence under a temporary directory, runs dev.asynchttp.benchmarks.SharedRateLimitBenchmark
# (permits per second two instances sustain; added latency per call against the local limiter) and
# stops redis-server again.
#
# Environment: BENCH_REDIS_PORT (default 16379), the loopback port redis-server listens on.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${BENCH_REDIS_PORT:-16379}"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v redis-server >/dev/null 2>&1; then
	echo "Installing redis-server through apt ..."
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update
	as_root apt-get install -y --no-install-recommends redis-server
fi

echo "Building the benchmark ..."
./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests

dir="$(mktemp -d -t async-http-redis-bench.XXXXXX)"
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no \
	>"$dir/redis.log" 2>&1 &
redis_pid=$!
stop_redis() {
	kill "$redis_pid" 2>/dev/null || true
	wait "$redis_pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap stop_redis EXIT
for _ in $(seq 100); do
	if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then break; fi
	sleep 0.1
done

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
	dev.asynchttp.benchmarks.SharedRateLimitBenchmark --redis "redis://127.0.0.1:${port}"
