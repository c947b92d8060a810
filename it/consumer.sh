#!/usr/bin/env bash
# A new user's project, outside the reactor, set up exactly as README.md's "Use it in your
# project" says: the install command and the Maven blocks are cut out of the README, the libraries
# installed into a private repository (never ~/.m2, which other builds share), then a Java consumer
# is compiled and run on JDK 17 (JNA), and compiled on JDK 25 (where a processor found only on the
# class path no longer runs) for release 17 and run on JDK 25 (FFM) and 17, and a Kotlin (kapt)
# consumer is compiled and run on JDK 17, each against the kernel (XDP program test-run, typed map
# read; in Kotlin also a map of UInt to ULong). The suite runs it last (module it,
# ConsumerProjectTest), so the install reuses what the reactor compiled.
#
#   it/consumer.sh [WORKDIR]     (needs root or CAP_BPF for the runs; clang is not needed)
#   IT_REPO=/tmp/m2 it/consumer.sh; IT_REPO=/tmp/m2 IT_SKIP_INSTALL=1 it/consumer.sh  (again, faster)
#
# Environment: JDK17 (default /usr/lib/jvm/java-17-openjdk-amd64), JDK25 (default Temurin 25),
# IT_REPO (the private Maven repository; made from ~/.m2/repository when it does not exist:
# hard links for the jars and poms Maven never rewrites, copies of its bookkeeping files).
set -euo pipefail
shopt -s inherit_errexit
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${1:-}" ]]; then
  work="$1"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
JDK17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
repo="${IT_REPO:-$work/m2}"
for jdk in "$JDK17" "$JDK25"; do
  [[ -x "$jdk/bin/java" ]] || { echo "FAILED: no JDK at $jdk (set JDK17 / JDK25)"; exit 1; }
done
start=$SECONDS
if [[ ! -d "$repo" ]]; then
  mkdir -p "$repo"
  if [[ -d "$HOME/.m2/repository" ]]; then
    # A real copy of 600 MB takes longer than the whole test; hard links take a second. Maven
    # writes a jar or pom only as a new file (download or install), but it rewrites metadata,
    # _remote.repositories and checksum files in place, so those get their own copy.
    cp -al "$HOME/.m2/repository/." "$repo/"
    rm -rf "$repo/io/github/bpfmaps"
    find "$repo" -type f ! -name '*.jar' ! -name '*.pom' -exec sh -c \
      'for f; do cp -p "$f" "$f.copy" && mv -f "$f.copy" "$f"; done' _ {} +
  fi
fi
mvn_() { mvn -B -ntp -q -Dmaven.repo.local="$repo" "$@"; }

# The README's text between "## Use it in your project" and the next section.
section() { awk '/^## Use it in your project/ { on = 1; next } /^## / { on = 0 } on' "$root/README.md"; }

# The README's install command, run as written but for the private repository.
install_cmd="$(section | grep -m1 '^mvn .* install ')"
[[ -n "$install_cmd" ]] || { echo "FAILED: no install command in README.md's Use it in your project"; exit 1; }
# IT_SKIP_INSTALL=1 reuses what an earlier run installed into IT_REPO.
if [[ -z "${IT_SKIP_INSTALL:-}" ]]; then
  echo "== $install_cmd  (into $repo, JDK 17)"
  read -r -a words <<<"$install_cmd"
  # -q: the README's command prints every module's build; here only failures matter.
  (cd "$root" && JAVA_HOME="$JDK17" "${words[0]}" -q -Dmaven.repo.local="$repo" "${words[@]:1}")
  echo "   installed in $((SECONDS - start)) s"
fi

# The README's Maven blocks, in order: 1 the Java pom fragment, 2 the Kotlin plugins.
block() {
  section | awk -v want="$1" '
    /^```xml/ { n++; inside = (n == want); next }
    inside && /^```/ { inside = 0; next }
    inside { print }'
}

# The rest of a user's pom around the README's blocks. The plugins Maven binds by default are
# pinned to the versions this repository's build uses (already in the repository after its build).
pom() { # artifactId, body
  cat <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>$1</artifactId>
  <version>1</version>
  <properties><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
$2
</project>
POM
}
plugin_versions='
    <pluginManagement><plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.5.0</version></plugin>
    </plugins></pluginManagement>'

java_project() {
  local d="$work/java"
  rm -rf "$d"; mkdir -p "$d/src/main/java/com/example" "$d/src/main/bpf"
  cp "$root/samples/src/main/bpf/xdp_counter.bpf.o" "$d/src/main/bpf/"
  # The README's fragment is <dependencies> then <build><plugins>; pinning goes inside <build>.
  pom consumer-java "$(block 1 | sed "s|^<build>|<build>$(tr -d '\n' <<<"$plugin_versions")|")" > "$d/pom.xml"
  cat > "$d/src/main/java/com/example/Main.java" <<'JAVA'
package com.example;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Packets;
import java.nio.file.Path;

public final class Main {
  @BpfMap(type = MapType.ARRAY, maxEntries = 10, objectFile = "xdp_counter.bpf.o")
  public record XdpStats(@Unsigned int key, DataRec value) {}

  public record DataRec(@Unsigned long packets, @Unsigned long bytes) {}

  public static void main(String[] args) {
    try (BpfObject obj = BpfObject.load(Path.of("src/main/bpf/xdp_counter.bpf.o"));
         Main_XdpStatsMap stats = Main_XdpStatsMap.bind(obj)) {
      obj.program("xdp_count").testRun(Packets.udp(Packets.ipv4(10, 0, 0, 1), Packets.ipv4(10, 0, 0, 2), 1, 2, 64), 3);
      DataRec pass = stats.get(2);
      System.out.println("XDP_PASS " + pass.packets() + " packets " + pass.bytes() + " bytes");
    }
  }
}
JAVA
  echo "$d"
}

kotlin_project() {
  local d="$work/kotlin"
  rm -rf "$d"; mkdir -p "$d/src/main/kotlin/com/example" "$d/src/main/bpf"
  cp "$root/samples/src/main/bpf/xdp_counter.bpf.o" "$d/src/main/bpf/"
  pom consumer-kotlin "
  <dependencies>
    <dependency><groupId>io.github.bpfmaps</groupId><artifactId>bpfmaps-annotations</artifactId><version>0.1.0-SNAPSHOT</version></dependency>
    <dependency><groupId>io.github.bpfmaps</groupId><artifactId>bpfmaps-runtime</artifactId><version>0.1.0-SNAPSHOT</version></dependency>
    <dependency><groupId>io.github.bpfmaps</groupId><artifactId>bpfmaps-kotlin</artifactId><version>0.1.0-SNAPSHOT</version></dependency>
    <dependency><groupId>org.jetbrains.kotlin</groupId><artifactId>kotlin-stdlib</artifactId><version>2.4.21</version></dependency>
  </dependencies>
  <build>
    <sourceDirectory>src/main/kotlin</sourceDirectory>$plugin_versions
    <plugins>
$(block 2)
    </plugins>
  </build>" > "$d/pom.xml"
  cat > "$d/src/main/kotlin/com/example/Main.kt" <<'KT'
package com.example

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.kotlin.loadBpfObject
import io.github.bpfmaps.runtime.Packets

@BpfMap(name = "xdp_stats", type = MapType.ARRAY, maxEntries = 10, objectFile = "xdp_counter.bpf.o")
data class XdpStats(val action: UInt, val rec: DataRec)

data class DataRec(val packets: ULong, val bytes: ULong)

// A whole UInt key and ULong value: the generated handle uses bpfmaps-kotlin's codecs.
@BpfMap(type = MapType.HASH, maxEntries = 8)
data class PortBytes(val port: UInt, val bytes: ULong)

fun main() {
    loadBpfObject("src/main/bpf/xdp_counter.bpf.o").use { obj ->
        obj.program("xdp_count").testRun(Packets.udp(Packets.ipv4(10, 0, 0, 1), Packets.ipv4(10, 0, 0, 2), 1, 2, 64), 3)
        XdpStatsMap.bind(obj).use { stats ->
            val pass = stats[2]!!
            println("XDP_PASS ${pass.packets} packets ${pass.bytes} bytes")
        }
    }
    PortBytesMap.create().use { m ->
        m[4_000_000_000u] = ULong.MAX_VALUE
        println("PORT 4000000000 ${m[4_000_000_000u]} bytes")
    }
}
KT
  echo "$d"
}

# One Maven run per consumer: compile (kapt, kotlinc and javac as the README sets them up) and
# write the run-time class path.
build() { # dir, jdk
  local t=$SECONDS
  rm -rf "$1/target"
  (cd "$1" && JAVA_HOME="$2" mvn_ compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath -Dmdep.outputFile=cp.txt >&2)
  echo "   built in $((SECONDS - t)) s" >&2
}

run() { # dir, jdk, expected lines, main class, java options...
  local d="$1" jdk="$2" expect="$3" main="$4" out
  shift 4
  echo "== $main on $("$jdk/bin/java" --version | head -1)"
  out="$(cd "$d" && "$jdk/bin/java" "$@" -cp "target/classes:$(cat cp.txt)" "$main")"
  echo "$out"
  local line
  while IFS= read -r line; do
    grep -qxF "$line" <<<"$out" || { echo "FAILED: expected '$line'"; exit 1; }
  done <<<"$expect"
}

xdp='XDP_PASS 3 packets 192 bytes'
d="$(java_project)"
echo "== Java consumer, compiled on JDK 17"
build "$d" "$JDK17"
run "$d" "$JDK17" "$xdp" com.example.Main
echo "== Java consumer, compiled on JDK 25 for release 17"
build "$d" "$JDK25"
# As README.md's Performance section says for Java 22 and later.
run "$d" "$JDK25" "$xdp" com.example.Main --enable-native-access=ALL-UNNAMED
run "$d" "$JDK17" "$xdp" com.example.Main
d="$(kotlin_project)"
echo "== Kotlin consumer (kapt), compiled on JDK 17"
build "$d" "$JDK17"
run "$d" "$JDK17" "$xdp"$'\n''PORT 4000000000 18446744073709551615 bytes' com.example.MainKt
echo "consumer projects OK in $((SECONDS - start)) s"
