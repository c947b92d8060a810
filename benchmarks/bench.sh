#!/usr/bin/env bash
# The one command for bpfmaps performance: builds and runs the C baseline (raw bpf(2), no
# library), builds and runs the JMH suite (benchmarks/src), times `bpftool map dump` and the
# Java dump (Dump.java) on the 1M-entry hash, and prints
#
#   operation | C ns/op | Java ns/op | ratio
#
# Shapes, defaults and the name mapping are documented in benchmarks/README.md.
#
# Usage: benchmarks/bench.sh [--quick] [--no-java] [--jmh FILE] [--repeat N] [--perf] [--loss] [--list] [group...]
#   group: a mapbench group or bpftool_dump_1m (`--list` shows them); none = all.
#   --quick: short C rounds and JMH iterations (about 3 minutes instead of about 10).
#   --no-java: C and bpftool only. --jmh FILE: take the Java column from an existing JMH JSON
#   result instead of running JMH. --repeat N: run each group's C rounds and JMH benchmarks N
#   times in turn (C, JMH, C, JMH, ...) and report medians, the ratio being the median of the
#   N pairs' ratios: on a machine whose speed drifts by minutes, each ratio compares figures
#   taken seconds apart. --perf: instead of the tables, profile each group (default
#   array_lookup) with `perf record`, C and every JVM, and print where the samples fall:
#   kernel (and its fd reference, fdget/fput), libc's syscall(), the binding (FFM downcall stub,
#   or JNA's dispatch and libffi), the JVM runtime, the interpreter, and the compiled program.
#   --loss: instead of the tables, the highest event rate each reader (libbpf, then every JVM)
#   keeps up with losing nothing (groups perf_loss, ringbuf_loss; BENCH_LOSS_* in README.md).
#   Needs root (bpf(2), bpffs at /sys/fs/bpf), gcc, bpftool, jq; Java 17 and Maven for JMH.
# Environment (defaults in README.md): BENCH_OPS BENCH_WARMUP BENCH_ROUNDS BENCH_MMAP_OPS
#   BENCH_BIG_ENTRIES BENCH_BIG_ROUNDS BENCH_BATCH BENCH_RINGBUF_BYTES (read by mapbench),
#   BENCH_REPEAT (same as --repeat),
#   BENCH_DUMP (1: time bpftool dumps, 0: skip), BENCH_DUMP_ROUNDS, BENCH_OUT (build/output
#   dir), BENCH_JMH_JSON (same as --jmh), BENCH_JAVA_DUMP_CMD / BENCH_JAVA_DUMP_JSON_CMD
#   (whole-process Java dump commands to time like bpftool; %ID% becomes the map id; default:
#   the suite's Dump), BENCH_JMH_INCLUDE (JMH regex, default from the groups), BENCH_JMH_OPTS
#   (JMH options, default `-f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc`; quick: `-f 1 -wi 1 -w 500ms
#   -i 2 -r 500ms -prof gc`), BENCH_PRIO (command prefix for the timed processes, e.g.
#   'chrt -f 1' on a shared machine), BENCH_JAVA (the JVMs that run JMH, space-separated, each
#   a java executable; default `java`; several give one Java column each, e.g.
#   "java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java" compares JNA on 17 with FFM on 25; an entry
#   "java,-XX:+UseTransparentHugePages" adds JVM options to that column).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_OUT:-$here/target/c}
jmh_json=${BENCH_JMH_JSON:-}
dump=${BENCH_DUMP:-1}
dump_rounds=${BENCH_DUMP_ROUNDS:-3}
groups=()
list=0
quick=0
run_java=1
repeat=${BENCH_REPEAT:-1}
perf=0
loss=0

while [ $# -gt 0 ]; do
	case $1 in
	--jmh) jmh_json=$2; run_java=0; shift 2 ;;
	--jmh=*) jmh_json=${1#--jmh=}; run_java=0; shift ;;
	--quick) quick=1; shift ;;
	--no-java) run_java=0; shift ;;
	--repeat) repeat=$2; shift 2 ;;
	--repeat=*) repeat=${1#--repeat=}; shift ;;
	--list) list=1; shift ;;
	--perf) perf=1; shift ;;
	--loss) loss=1; shift ;;
	-h|--help) sed -n '2,36p' "$0"; exit 0 ;;
	*) groups+=("$1"); shift ;;
	esac
done
[ -n "$jmh_json" ] && run_java=0
if [ $perf = 1 ]; then
	command -v perf >/dev/null || { echo "bench.sh: --perf needs perf (apt-get install linux-perf)" >&2; exit 2; }
	[ $run_java = 1 ] || { echo "bench.sh: --perf profiles the Java side too; drop --no-java/--jmh" >&2; exit 2; }
	[ ${#groups[@]} -gt 0 ] || groups=(array_lookup)
fi
if [ $loss = 1 ]; then
	[ $run_java = 1 ] || { echo "bench.sh: --loss compares with the Java reader; drop --no-java/--jmh" >&2; exit 2; }
	[ ${#groups[@]} -gt 0 ] || groups=(perf_loss ringbuf_loss)
fi
case $repeat in '' | *[!0-9]* | 0) echo "bench.sh: --repeat wants a positive number, not '$repeat'" >&2; exit 2 ;; esac
if [ $quick = 1 ]; then
	# Short rounds; the 1M map keeps its size because the Java side is fixed at 1M entries.
	export BENCH_OPS=${BENCH_OPS:-20000} BENCH_WARMUP=${BENCH_WARMUP:-2000}
	export BENCH_ROUNDS=${BENCH_ROUNDS:-3} BENCH_MMAP_OPS=${BENCH_MMAP_OPS:-5000000}
	export BENCH_BIG_ROUNDS=${BENCH_BIG_ROUNDS:-1}
	dump_rounds=${BENCH_DUMP_ROUNDS:-1}
fi
if [ $run_java = 1 ] && [ "${BENCH_BIG_ENTRIES:-1000000}" != 1000000 ]; then
	echo "bench.sh: BENCH_BIG_ENTRIES=$BENCH_BIG_ENTRIES, but the Java _1m benchmarks use 1000000" >&2
fi

# C operation name -> JMH benchmark name (the "benchmark" field of `-rf json`). The Java
# suite must report the same unit of work: per element, or per entry for the _1m
# operations (@OperationsPerInvocation). "-" = no Java counterpart.
mapping='
array_lookup             io.github.bpfmaps.bench.ArrayMapBench.lookup
hash_lookup              io.github.bpfmaps.bench.HashMapBench.lookup
hash_update              io.github.bpfmaps.bench.HashMapBench.update
hash_delete              io.github.bpfmaps.bench.HashMapBench.delete
percpu_array_lookup      io.github.bpfmaps.bench.PerCpuArrayMapBench.lookup
mmapable_array_lookup    io.github.bpfmaps.bench.MmapArrayBench.syscallLookup
mmap_array_read          io.github.bpfmaps.bench.MmapArrayBench.read
mmap_array_write         io.github.bpfmaps.bench.MmapArrayBench.write
mmap_array_read_fields   io.github.bpfmaps.bench.MmapArrayBench.readFields
mmap_array_write_fields  io.github.bpfmaps.bench.MmapArrayBench.writeFields
mmap_array_atomic_add    io.github.bpfmaps.bench.MmapArrayBench.atomicAdd
hash_iter_batch_1m       io.github.bpfmaps.bench.BigHashBench.iterateBatch
hash_iter_nextkey_1m     io.github.bpfmaps.bench.BigHashBench.iterateNextKey
hash_update_batch_1m     io.github.bpfmaps.bench.BigHashBench.updateBatch
ringbuf_consume          io.github.bpfmaps.bench.RingBufBench.consume
ringbuf_produce_testrun  -
perf_poll                io.github.bpfmaps.bench.PerfEventBench.poll
ringbuf_poll             io.github.bpfmaps.bench.RingBufBench.poll
metrics_scrape_100k      io.github.bpfmaps.bench.MetricsScrapeBench.scrapeRead
bpftool_dump_1m          -
bpftool_dump_json_1m     -
'

mkdir -p "$out"
gcc -O2 -Wall -Wextra -pthread -o "$out/mapbench" "$here"/c/*.c -lbpf
if [ $list = 1 ]; then
	"$out/mapbench" --list
	echo bpftool_dump_1m
	exit 0
fi

# ---- Java: build the suite; JMH runs group by group, right after the C side of the same group,
# so that both columns of a row see the same machine load (it drifts on a shared machine) ----
# BENCH_PRIO: a command prefix for every timed process, e.g. 'chrt -f 1' (SCHED_FIFO; needs root)
# so that other work on a shared machine does not preempt the benchmark in mid-round.
nice_cmd=()
[ -n "${BENCH_PRIO:-}" ] && read -r -a nice_cmd <<<"$BENCH_PRIO"
root=$(cd "$here/.." && pwd)
classpath=
if [ $run_java = 1 ]; then
	echo "# building the JMH suite (mvn -pl benchmarks -am package)" >&2
	build=(mvn -B -q -f "$root/pom.xml" -pl benchmarks -am -DskipTests package
		org.apache.maven.plugins:maven-dependency-plugin:3.6.1:build-classpath
		-Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
	# Offline first (no network needed once the dependencies are cached), then online.
	"${build[@]}" -o >"$out/mvn.log" 2>&1 || "${build[@]}" >"$out/mvn.log" 2>&1 || {
		cat "$out/mvn.log" >&2
		echo "bench.sh: the JMH suite did not build" >&2
		exit 1
	}
	# Since the build runs `package`, the reactor lists the runtime as its jar, not as
	# target/classes; that matters: a JVM reads META-INF/versions/22 (the FFM binding) only from a jar.
	classpath=$here/target/classes:$(cat "$here/target/classpath.txt")
	if [ $quick = 1 ]; then
		jopts=${BENCH_JMH_OPTS:--f 1 -wi 1 -w 500ms -i 2 -r 500ms -prof gc}
	else
		jopts=${BENCH_JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc}
	fi
	jmh_json=$here/target/jmh-result.json
	rm -f "$out"/jmh-part-*.json "$here"/target/jmh-result*.json
	# The Java dump, timed like bpftool: C1 only, since a one-shot run never reaches C2's payoff.
	dump_java="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp $classpath io.github.bpfmaps.bench.Dump --id %ID%"
	: "${BENCH_JAVA_DUMP_CMD:=$dump_java}" "${BENCH_JAVA_DUMP_JSON_CMD:=$dump_java --json}"
fi
jmh_parts=0
# The JVMs for JMH; the first one's result is jmh-result.json, the others' jmh-result-N.json.
# An entry "java,-XX:+Opt,..." runs that java with those options (JMH's forks inherit them): it
# becomes a small wrapper script, and its column label names the options.
read -r -a javas <<<"${BENCH_JAVA:-java}"
declare -A java_opts=()
for k in "${!javas[@]}"; do
	if [[ ${javas[$k]} == *,* ]]; then
		IFS=, read -r -a parts <<<"${javas[$k]}"
		mkdir -p "$out"
		printf '#!/bin/sh\nexec %q' "${parts[0]}" >"$out/java-$k"
		printf ' %q' "${parts[@]:1}" >>"$out/java-$k"
		printf ' "$@"\n' >>"$out/java-$k"
		chmod +x "$out/java-$k"
		java_opts[$out/java-$k]=" ${parts[*]:1}"
		javas[$k]=$out/java-$k
	fi
done
jmh_json_of() { if [ "$1" = 0 ]; then echo "$jmh_json"; else echo "${jmh_json%.json}-$1.json"; fi; }
# A column label: the JVM's version and the bpf(2) binding the runtime jar really uses on it
# (runtime.sys.Syscall.implementation(): jnr (jffi) or its fallback jna on Java 17-21, ffm from META-INF/versions/22 on Java 22+).
java_label() {
	local v impl
	v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
	printf 'class Probe { public static void main(String[] a) { System.out.print(%s); } }\n' \
		'io.github.bpfmaps.runtime.sys.Syscall.implementation()' >"$out/Probe.java"
	impl=$("$1" --enable-native-access=ALL-UNNAMED -cp "$classpath" "$out/Probe.java" 2>/dev/null) || impl='?'
	echo "Java $v $impl${java_opts[$1]:-}"
}

# The JMH include pattern of a C group: its mapped benchmarks.
jmh_include() {
	case $1 in
	array_syscall_vs_mmap) echo 'MmapArrayBench' ;;
	# with the allocation-free per-CPU reads (Java-only rows of the allocation table)
	percpu_array_lookup) echo 'PerCpuArrayMapBench' ;;
	perf_poll) echo 'PerfEventBench' ;; # poll and the zero-allocation pollRaw
	# the scrape, and in the same JMH run its Java baselines on the same map (ratio printed below)
	metrics_scrape) echo 'MetricsScrapeBench\.(scrapeRead|batchRead|bpftoolDump|paired)$' ;;
	*) awk -v g="$1" '$1 == g && $2 != "-" { print $2 "$" }' <<<"$mapping" ;;
	esac
}

# A JMH run failed: its log's tail, and stop.
jmh_failed() {
	tail -40 "$out/jmh.log" >&2
	echo "bench.sh: JMH failed" >&2
	exit 1
}

# Runs JMH on a regex, once per JVM of BENCH_JAVA; each JSON becomes one part of that JVM's result.
run_jmh() {
	local k part
	for k in "${!javas[@]}"; do
		part=$out/jmh-part-$k-$jmh_parts.json
		echo "# JMH on ${javas[$k]}: $1 ($jopts)" >&2
		# --enable-native-access: Java 22+ would warn once about the FFM downcall (and JNA's JNI);
		# Java 17 accepts the option too (JEP 412).
		# shellcheck disable=SC2086 # jopts is a list of options
		"${nice_cmd[@]}" "${javas[$k]}" -cp "$classpath" org.openjdk.jmh.Main "$1" $jopts \
			-jvmArgsAppend --enable-native-access=ALL-UNNAMED -rf json -rff "$part" \
			>"$out/jmh.log" 2>&1 || jmh_failed
		sed -n '/^Benchmark /,$p' "$out/jmh.log" | grep -v ':gc\.' >&2
	done
	jmh_parts=$((jmh_parts + 1))
}

# Where a profile's samples fall, by the categories of --perf, from `perf report` lines
# ("12.3%  dso  [.] symbol"); $1 names the row.
perf_shares() {
	perf report -q -i "$2" --sort dso,symbol 2>/dev/null | awk -v row="$1" '
	{ p = $1; sub("%", "", p); d = $2; s = $0; c = "program" }
	d ~ /kernel/ { c = (s ~ /\] (fdget|fput|__fget_files|__fget_light|fget)( |$)/) ? "kernel_fd" : "kernel" }
	d ~ /^libc/ { c = "libc" }
	s ~ /nep_invoker_blob/ || d ~ /jna|jnidispatch|ffi/ { c = "binding" }
	d ~ /libjvm/ { c = "jvm" }
	s ~ /\] Interpreter/ { c = "interpreter" }
	{ v[c] += p }
	END { printf "%-34s %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f\n", row, v["kernel"], v["kernel_fd"],
		v["libc"], v["binding"], v["jvm"], v["interpreter"], v["program"] }'
}

# --perf: profiles of each group, C and every JVM, printed as shares of the samples.
if [ $perf = 1 ]; then
	rows=()
	labels=()
	for k in "${!javas[@]}"; do labels+=("$(java_label "${javas[$k]}")"); done
	for g in "${groups[@]}"; do
		inc=$(jmh_include "$g" | paste -sd'|')
		[ -n "$inc" ] || { echo "bench.sh: --perf: no JMH benchmark for $g" >&2; exit 2; }
		echo "# perf: $g (C)" >&2
		perf record -q -F 10000 -o "$out/perf-c.data" -- "${nice_cmd[@]}" "$out/mapbench" "$g" >&2
		rows+=("$(perf_shares "$g C" "$out/perf-c.data")")
		for k in "${!javas[@]}"; do
			echo "# perf: $g (JMH on ${javas[$k]})" >&2
			# Fixed JMH timing, so that the recording (-D: from 5 s on) holds the measured
			# iterations and not the start-up, warm-up and JIT compilation before them. The fork
			# writes /tmp/perf-<pid>.map at exit, so that perf report names the compiled code.
			perf record -q -F 10000 -D 5000 -o "$out/perf-j$k.data" -- "${nice_cmd[@]}" "${javas[$k]}" \
				-cp "$classpath" org.openjdk.jmh.Main "$inc" -f 1 -wi 3 -w 1s -i 6 -r 1s -jvmArgsAppend \
				"--enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
				>"$out/jmh.log" 2>&1 || jmh_failed
			sed -n '/^Benchmark /,$p' "$out/jmh.log" >&2
			rows+=("$(perf_shares "$g ${labels[$k]}" "$out/perf-j$k.data")")
		done
	done
	echo
	echo "% of samples                       |  kernel | fd ref. | libc    | binding | JVM     | interp. | program"
	printf '%s\n' "${rows[@]}"
	echo
	echo "kernel: all kernel samples but fd ref. (fdget/fput: a reference per call in a multithreaded"
	echo "process); libc: syscall(); binding: the FFM downcall stub, or JNA's dispatch and libffi; JVM:"
	echo "libjvm (errno capture, GC, what is left of start-up); interp.: the same; program: the C loop"
	echo "or the compiled Java (handle, codec, JMH loop). The Java recording starts after JMH's warm-up."
	echo "Shares, not times: sampling slows both sides."
	exit 0
fi

# --loss: the highest event rate each reader keeps up with, losing nothing; C (libbpf) then each
# JVM, same program, ring, threads and pacing (c/eventbench.c, LossRate.java).
if [ $loss = 1 ]; then
	rows=()
	for ((r = 1; r <= repeat; r++)); do
		for g in "${groups[@]}"; do
			[ "$repeat" -gt 1 ] && echo "# $g: pass $r of $repeat" >&2
			echo "# $g: C (libbpf)" >&2
			# (captured, then echoed: tee /dev/stderr would reopen a redirected log at offset 0)
			res=$("${nice_cmd[@]}" "$out/mapbench" "$g")
			echo "$res" >&2
			line=$(grep "^op=$g " <<<"$res")
			rows+=("$g|C libbpf|$line")
			for k in "${!javas[@]}"; do
				label=$(java_label "${javas[$k]}")
				echo "# $g: $label" >&2
				# Not under BENCH_PRIO: LossRate gives SCHED_FIFO to its producer and reader only
				# (BENCH_LOSS_FIFO), as chrt gives it to the C process's two threads; the JIT
				# compiler threads must not get it (a compilation would hold the reader off).
				fifo=0
				[ ${#nice_cmd[@]} -gt 0 ] && fifo=1
				res=$(BENCH_LOSS_FIFO=$fifo "${javas[$k]}" --enable-native-access=ALL-UNNAMED -cp "$classpath" \
					io.github.bpfmaps.bench.LossRate "$g")
				echo "$res" >&2
				line=$(grep "^op=$g " <<<"$res")
				rows+=("$g|$label|$line")
			done
		done
	done
	echo
	echo "operation      | reader              | no loss up to (events/s) | first lossy rate"
	echo "---------------|---------------------|--------------------------|-----------------"
	for row in "${rows[@]}"; do
		IFS='|' read -r g label line <<<"$row"
		awk -v g="$g" -v l="$label" '{
			m = "-"; f = "-"
			for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "max_lossless") m = kv[2]; if (kv[1] == "first_lossy") f = kv[2] }
			if ($0 ~ /skipped/) m = "skipped"
			if (f == "0") f = "none"
			printf "%-14s | %-19s | %24s | %16s\n", g, l, m, f }' <<<"$line"
	done
	echo
	echo "no loss up to: the achieved rate of the highest step before the first step that lost events;"
	echo "first lossy rate: that step's target (none: no step lost any). Steps and settings above."
	exit 0
fi

pin=
cleanup() { [ -n "$pin" ] && rm -f "$pin"; return 0; }
trap cleanup EXIT
want_dump=0
if [ "$dump" = 1 ]; then
	if [ ${#groups[@]} -eq 0 ]; then
		want_dump=1
	else
		for g in "${groups[@]}"; do
			case $g in pin_1m|bpftool_dump*) want_dump=1 ;; esac
		done
	fi
fi
args=()
for g in "${groups[@]}"; do
	case $g in bpftool_dump*) ;; *) args+=("$g") ;; esac
done
if [ $want_dump = 1 ]; then
	pin=/sys/fs/bpf/bpfmaps_bench_$$
	# With explicit groups, pin_1m must be named for mapbench to pin the map.
	if [ ${#groups[@]} -gt 0 ]; then args+=(pin_1m); fi
fi

results=$out/results.txt
echo "# mapbench (C, raw bpf(2)) on $(uname -r), $(nproc) CPUs, $(date -u +%FT%TZ)," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ $run_java = 0 ]; then
	BENCH_PIN=$pin "${nice_cmd[@]}" "$out/mapbench" ${args[@]+"${args[@]}"} | tee "$results" >&2
else
	: >"$results"
	run=()
	for g in ${args[@]+"${args[@]}"}; do [ "$g" != pin_1m ] && run+=("$g"); done
	if [ ${#groups[@]} -eq 0 ]; then
		mapfile -t run < <("$out/mapbench" --list | grep -v '^pin_1m$' | grep -v '_loss$')
	fi
	for g in ${run[@]+"${run[@]}"}; do
		inc=$(jmh_include "$g" | paste -sd'|')
		for ((r = 1; r <= repeat; r++)); do
			[ "$repeat" -gt 1 ] && echo "# $g: pass $r of $repeat" >&2
			"${nice_cmd[@]}" "$out/mapbench" "$g" | tee -a "$results" >&2
			if [ -n "$inc" ]; then run_jmh "$inc"; fi
		done
	done
	if [ ${#groups[@]} -eq 0 ]; then
		run_jmh "${BENCH_JMH_INCLUDE:-CodecBench|PrimitiveValueBench}"
	fi
	if [ $want_dump = 1 ]; then
		BENCH_PIN=$pin "$out/mapbench" pin_1m | tee -a "$results" >&2
	fi
	if [ $jmh_parts -gt 0 ]; then
		for k in "${!javas[@]}"; do
			# In the order the parts ran (a glob would put part 10 before part 9, and --repeat
			# pairs each pass's Java run with its C run by that order).
			parts=()
			for ((p = 0; p < jmh_parts; p++)); do parts+=("$out/jmh-part-$k-$p.json"); done
			jq -s 'add' "${parts[@]}" >"$(jmh_json_of "$k")"
		done
	fi
fi

# Median wall time in ns of a command over $dump_rounds runs, stdout discarded.
time_cmd() {
	local t=() i t0
	for ((i = 0; i < dump_rounds; i++)); do
		t0=$(date +%s%N)
		bash -c "$1" >/dev/null
		t+=($(($(date +%s%N) - t0)))
	done
	printf '%s\n' "${t[@]}" | sort -n | awk '{ v[NR] = $1 } END {
		print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

java_extra=$out/java-extra.txt
: >"$java_extra"
if [ $want_dump = 1 ]; then
	line=$(grep '^pinned=' "$results")
	id=$(sed 's/.*map_id=\([0-9]*\).*/\1/' <<<"$line")
	entries=$(sed 's/.*entries=\([0-9]*\).*/\1/' <<<"$line")
	for v in plain json; do
		if [ $v = plain ]; then
			name=bpftool_dump_1m; cmd="bpftool map dump id $id"
			jcmd=${BENCH_JAVA_DUMP_CMD:-}
		else
			name=bpftool_dump_json_1m; cmd="bpftool -j map dump id $id"
			jcmd=${BENCH_JAVA_DUMP_JSON_CMD:-}
		fi
		ns=$(time_cmd "${nice_cmd[*]} $cmd")
		# Reported per entry so it sits in the same column; whole-process ms alongside.
		awk -v n="$name" -v ns="$ns" -v e="$entries" -v r="$dump_rounds" 'BEGIN {
			printf "op=%s ns_per_op=%.2f ops=%d rounds=%d whole_process_ms=%.1f\n",
				n, ns / e, e, r, ns / 1e6 }' | tee -a "$results" >&2
		if [ -n "$jcmd" ]; then
			ns=$(time_cmd "${nice_cmd[*]} ${jcmd//%ID%/$id}")
			awk -v n="$name" -v ns="$ns" -v e="$entries" 'BEGIN {
				printf "%s %.2f\n", n, ns / e }' >>"$java_extra"
		fi
	done
fi

# JMH scores -> ns per operation: one line per run of a benchmark, in the order they ran (a
# benchmark appears once per --repeat pass). One file per JVM of BENCH_JAVA (java-ns-0.txt, ...);
# with --jmh FILE only the first.
njava=1
[ $run_java = 1 ] && njava=${#javas[@]}
jfiles=
jlabels=
for ((k = 0; k < njava; k++)); do
java_ns=$out/java-ns-$k.txt
: >"$java_ns"
jfiles=$jfiles${jfiles:+,}$java_ns
if [ $run_java = 1 ]; then jlabels=$jlabels${jlabels:+,}$(java_label "${javas[$k]}"); else jlabels=Java; fi
json=$jmh_json
[ $run_java = 1 ] && json=$(jmh_json_of "$k")
if [ -n "$json" ]; then
	if ! command -v jq >/dev/null; then
		echo "bench.sh: jq not found; Java column left empty" >&2
	elif [ ! -f "$json" ]; then
		echo "bench.sh: no JMH result at $json; Java column left empty" >&2
	else
		jq -r '.[] | [.benchmark, .primaryMetric.score, .primaryMetric.scoreUnit,
			([.primaryMetric.rawData[][]] | min),
			([.primaryMetric.rawData[][]] | sort | if length % 2 == 1 then .[(length - 1) / 2]
				else (.[length / 2 - 1] + .[length / 2]) / 2 end)] | @tsv' \
			"$json" | awk -F'\t' '
			function ns(score, unit) {
				if (unit == "ns/op") return score
				if (unit == "us/op") return score * 1e3
				if (unit == "ms/op") return score * 1e6
				if (unit == "s/op") return score * 1e9
				if (unit == "ops/ns") return 1 / score
				if (unit == "ops/us") return 1e3 / score
				if (unit == "ops/ms") return 1e6 / score
				if (unit == "ops/s") return 1e9 / score
				return -1
			}
			{
				# The best and the median iteration, from the same unit; for an ops/time unit
				# the best is the max.
				v = ns($2, $3); m = ns($4, $3); d = ns($5, $3)
				if ($3 ~ /^ops/) m = -1
				if (v >= 0) printf "%s %.2f %.2f %.2f\n", $1, v, m, d
			}' >"$java_ns"
	fi
fi
done

echo
awk -v map="$mapping" -v jfiles="$jfiles" -v jlabels="$jlabels" -v xfile="$java_extra" '
	# Median of the n values v[1..n] (sorts v).
	function median(v, n,    i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	BEGIN {
		n = split(map, lines, "\n")
		for (i = 1; i <= n; i++) if (split(lines[i], f, " ") == 2) bench[f[1]] = f[2]
		nj = split(jfiles, jf, ",")
		split(jlabels, jl, ",")
		# java[k, benchmark, r]: the r-th run of a benchmark on JVM k; jmin: its best iteration;
		# jmed: its median iteration.
		for (k = 1; k <= nj; k++)
			while ((getline l < jf[k]) > 0) {
				split(l, f, " "); r = ++jn[k, f[1]]
				java[k, f[1], r] = f[2]; jmin[k, f[1], r] = f[3]; jmed[k, f[1], r] = f[4]
			}
		while ((getline l < xfile) > 0) { split(l, f, " "); extra[f[1]] = f[2] }
	}
	# C: one line per run of an operation (several with --repeat), in the order they ran.
	/^op=/ {
		op = ""; c = ""; cm = ""
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "op") op = kv[2]
			if (kv[1] == "ns_per_op") c = kv[2]
			if (kv[1] == "min") cm = kv[2]
		}
		if (!(op in cn)) order[++nops] = op
		r = ++cn[op]; cv[op, r] = c; cmin[op, r] = cm
	}
	END {
		if (nj > 1) {
			# Which JVM each group of three columns is.
			printf "%-26s | %10s", "", ""
			for (k = 1; k <= nj; k++) printf " | %-45s", jl[k]
			printf "\n"
		}
		printf "%-26s | %10s", "operation", "C ns/op"
		for (k = 1; k <= nj; k++) printf " | %10s | %6s | %10s | %10s", "Java ns/op", "ratio", "ratio(min)", "ratio(med)"
		printf "\n%-26s-|-%10s", "--------------------------", "----------"
		for (k = 1; k <= nj; k++) printf "-|-%10s-|-%6s-|-%10s-|-%10s", "----------", "------", "----------", "----------"
		printf "\n"
		for (o = 1; o <= nops; o++) {
			op = order[o]; nc = cn[op]
			best = ""
			for (r = 1; r <= nc; r++) {
				v[r] = cv[op, r]
				if (cmin[op, r] != "" && (best == "" || cmin[op, r] + 0 < best + 0)) best = cmin[op, r]
			}
			c = median(v, nc)
			printf "%-26s | %10.2f", op, c
			for (k = 1; k <= nj; k++) {
				j = "-"; ratio = "-"; rmin = "-"; rmed = "-"
				b = bench[op]
				if (op in extra) {
					# The whole-process dump rows come from the first JVM only.
					if (k == 1) { j = extra[op]; ratio = sprintf("%.2f", j / c) }
				} else if ((op in bench) && jn[k, b] > 0) {
					# Pair the r-th Java run with the r-th C run: each ratio compares figures
					# taken seconds apart; the row shows the medians.
					np = (jn[k, b] < nc) ? jn[k, b] : nc
					jbest = -1
					for (r = 1; r <= jn[k, b]; r++) {
						v[r] = java[k, b, r]
						if (jmin[k, b, r] + 0 > 0 && (jbest < 0 || jmin[k, b, r] + 0 < jbest)) jbest = jmin[k, b, r] + 0
					}
					j = sprintf("%.2f", median(v, jn[k, b]))
					for (r = 1; r <= np; r++) v[r] = java[k, b, r] / cv[op, r]
					if (c + 0 > 0) ratio = sprintf("%.2f", median(v, np))
					if (jbest > 0 && best + 0 > 0) rmin = sprintf("%.2f", jbest / best)
					# Like for like: the median JMH iteration against the median C round (the
					# C column), paired per pass as the ratio is.
					for (r = 1; r <= np; r++) v[r] = jmed[k, b, r] / cv[op, r]
					if (c + 0 > 0 && jmed[k, b, 1] + 0 > 0) rmed = sprintf("%.2f", median(v, np))
				}
				printf " | %10s | %6s | %10s | %10s", j, ratio, rmin, rmed
			}
			printf "\n"
		}
	}' "$results"
# Java-only rows and allocation per operation (JMH -prof gc), when the JSON has them.
if [ -n "$jmh_json" ] && [ -f "$jmh_json" ] && command -v jq >/dev/null; then
	echo
	printf '%-44s | %10s | %12s\n' "JMH benchmark" "ns/op" "alloc B/op"
	printf '%-44s-|-%10s-|-%12s\n' "--------------------------------------------" "----------" \
		"------------"
	jq -r '.[] | [(.benchmark | sub("io.github.bpfmaps.bench."; "")), .primaryMetric.score,
		.primaryMetric.scoreUnit,
		(.secondaryMetrics["gc.alloc.rate.norm"].score // "-")] | @tsv' "$jmh_json" |
		awk -F'\t' '!seen[$1]++ {
			# With --repeat, the first pass of each benchmark.
			a = ($4 == "-") ? "-" : sprintf("%.1f", $4)
			printf "%-44s | %10.2f | %12s\n", $1, $2, a }'
	sys=$(awk '/^op=mmapable_array_lookup /' "$results" | sed 's/.*ns_per_op=\([0-9.]*\).*/\1/' | head -1)
	jr=$(jq -r '.[] | select(.benchmark == "io.github.bpfmaps.bench.MmapArrayBench.read") |
		.primaryMetric.score' "$jmh_json" | head -1)
	if [ -n "$sys" ] && [ -n "$jr" ]; then
		awk -v s="$sys" -v r="$jr" 'BEGIN { printf "\nmmapped read (Java) vs C syscall lookup: %.1fx faster\n", s / r }'
	fi
fi

# The metrics scrape against its own baselines, each pass's three figures from one JMH run:
# the binder's read over the plain batch read of the same map (the target is <= 1.5), and
# bpftool's dump of it.
if [ -n "$jmh_json" ] && [ -f "$jmh_json" ] && command -v jq >/dev/null &&
	jq -e 'any(.[]; .benchmark == "io.github.bpfmaps.bench.MetricsScrapeBench.scrapeRead")' "$jmh_json" >/dev/null; then
	echo
	jq -r '.[] | select(.benchmark | startswith("io.github.bpfmaps.bench.MetricsScrapeBench.")) |
		[(.benchmark | sub(".*\\."; "")), .primaryMetric.score, .primaryMetric.scoreUnit,
		(.secondaryMetrics.scrapeNs.score // 0), (.secondaryMetrics.batchNs.score // 0)] | @tsv' "$jmh_json" |
		awk -F'\t' '
		function median(v, n,    i, j, t) {
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		$3 == "ns/op" { r = ++n[$1]; t[$1, r] = $2 }
		$1 == "paired" && $5 > 0 { pr[++npr] = $4 / $5 }
		END {
			np = n["scrapeRead"] < n["batchRead"] ? n["scrapeRead"] : n["batchRead"]
			if (np == 0) exit
			list = ""
			for (r = 1; r <= np; r++) {
				v[r] = t["scrapeRead", r] / t["batchRead", r]
				list = list sprintf(" %.2f", v[r])
			}
			q = median(v, np)
			for (r = 1; r <= np; r++) v[r] = t["scrapeRead", r]
			s = median(v, np)
			for (r = 1; r <= np; r++) v[r] = t["batchRead", r]
			b = median(v, np)
			printf "metrics scrape, 100,000-entry HASH (ns per entry, medians of %d JMH runs):\n", np
			printf "  binder read (scrapeRead) %.1f | plain batch read (batchRead) %.1f", s, b
			if (n["bpftoolDump"] > 0) {
				for (r = 1; r <= n["bpftoolDump"]; r++) v[r] = t["bpftoolDump", r]
				d = median(v, n["bpftoolDump"])
				printf " | bpftool map dump %.1f (%.0f ms)", d, d * 100000 / 1e6
			}
			printf "\n  scrape / batch read, separate forks: %.2f (per pass:%s)\n", q, list
			if (npr > 0) {
				list = ""
				for (r = 1; r <= npr; r++) { v[r] = pr[r]; list = list sprintf(" %.2f", pr[r]) }
				printf "  scrape / batch read, in turn in one fork (paired): %.2f (per pass:%s)\n", median(v, npr), list
			}
			print "  target: scrape <= 1.5 x batch read"

		}'
fi

echo
echo "C: raw bpf(2) from C, median of rounds; Java: JMH average; ratio = Java / C."
if [ "$repeat" -gt 1 ]; then
	echo "With --repeat $repeat: C and Java are medians of $repeat passes; ratio is the median of the"
	echo "passes' ratios, each Java run against the C run just before it."
fi
echo "ratio(min): best JMH iteration / best C round, the figure least moved by other load."
echo "ratio(med): median JMH iteration / median C round, paired per pass as ratio: the same"
echo "statistic on both sides (an iteration slowed by the host counts in the JMH average, a round"
echo "slowed the same way does not count in the C median)."
echo "bpftool_*: whole-process time / entries (Java: the suite's Dump, same map, same timing)."
sed -n 's/^op=\([a-z_0-9]*\) .*ops=\([0-9]*\).*whole_process_ms=\([0-9.]*\).*/  \1: \3 ms for \2 entries/p' \
	"$results"
echo "Raw lines: $results${jmh_json:+; Java: $jmh_json}"
