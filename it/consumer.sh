#!/usr/bin/env bash
# A new user's project, outside the reactor, set up exactly as README.md's "Use it in your
# project" says: the Maven blocks are cut out of the README, the libraries installed into a
# private repository (never ~/.m2, which other builds share), then a Java consumer is built and
# run on JDK 17 and on JDK 25, and a Kotlin (kapt) consumer on JDK 17, each against the kernel
# (XDP program test-run, typed map read). Slow (a few minutes): not part of `mvn verify`.
#
#   it/consumer.sh [WORKDIR]     (needs root or CAP_BPF for the runs; clang is not needed)
#   IT_REPO=/tmp/m2 it/consumer.sh; IT_REPO=/tmp/m2 IT_SKIP_INSTALL=1 it/consumer.sh  (again, faster)
#
# Environment: JDK17 (default /usr/lib/jvm/java-17-openjdk-amd64), JDK25 (default Temurin 25),
# IT_REPO (the private Maven repository; seeded from ~/.m2/repository when it does not exist).
set -euo pipefail
shopt -s inherit_errexit
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
JDK17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
repo="${IT_REPO:-$work/m2}"
if [[ ! -d "$repo" ]]; then
  mkdir -p "$repo"
  [[ -d "$HOME/.m2/repository" ]] && cp -r "$HOME/.m2/repository/." "$repo/"
fi
mvn_() { mvn -B -ntp -q -Dmaven.repo.local="$repo" "$@"; }

# IT_SKIP_INSTALL=1 reuses what an earlier run installed into IT_REPO.
if [[ -z "${IT_SKIP_INSTALL:-}" ]]; then
  echo "== installing the libraries into $repo"
  (cd "$root" && JAVA_HOME="$JDK17" mvn_ install -DskipTests -Dffm.test.skip \
    -pl annotations,runtime,processor,kotlin -am)
fi

# The README's blocks, in order: 1 the Java pom fragment, 2 the Kotlin plugins.
block() {
  awk -v want="$1" '
    /^## Use it in your project/ { on = 1 } /^## Loading objects/ { on = 0 }
    on && /^```xml/ { n++; inside = (n == want); next }
    inside && /^```/ { inside = 0; next }
    inside { print }' "$root/README.md"
}

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

java_project() {
  local d="$work/java"
  rm -rf "$d"; mkdir -p "$d/src/main/java/com/example" "$d/src/main/bpf"
  cp "$root/samples/src/main/bpf/xdp_counter.bpf.o" "$d/src/main/bpf/"
  pom consumer-java "$(block 1)" > "$d/pom.xml"
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
    <sourceDirectory>src/main/kotlin</sourceDirectory>
    <plugins>
$(block 2)
    </plugins>
  </build>" > "$d/pom.xml"
  cat > "$d/src/main/kotlin/com/example/Main.kt" <<'KT'
package com.example

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.Unsigned
import io.github.bpfmaps.kotlin.loadBpfObject
import io.github.bpfmaps.runtime.Packets

@BpfMap(name = "xdp_stats", type = MapType.ARRAY, maxEntries = 10, objectFile = "xdp_counter.bpf.o")
data class XdpStats(@Unsigned val action: Int, val rec: DataRec)

data class DataRec(@Unsigned val packets: Long, @Unsigned val bytes: Long)

fun main() {
    loadBpfObject("src/main/bpf/xdp_counter.bpf.o").use { obj ->
        obj.program("xdp_count").testRun(Packets.udp(Packets.ipv4(10, 0, 0, 1), Packets.ipv4(10, 0, 0, 2), 1, 2, 64), 3)
        XdpStatsMap.bind(obj).use { stats ->
            val pass = stats[2]!!
            println("XDP_PASS ${pass.packets} packets ${pass.bytes} bytes")
        }
    }
}
KT
  echo "$d"
}

run() { # dir, jdk, main class
  local d="$1" jdk="$2" main="$3"
  (cd "$d" && JAVA_HOME="$jdk" mvn_ package dependency:build-classpath -Dmdep.outputFile=cp.txt >&2)
  (cd "$d" && "$jdk/bin/java" --version | head -1 && "$jdk/bin/java" -cp "target/classes:$(cat cp.txt)" "$main")
}

expect='XDP_PASS 3 packets 192 bytes'
d="$(java_project)"
for jdk in "$JDK17" "$JDK25"; do
  echo "== Java consumer on $jdk"
  out="$(run "$d" "$jdk" com.example.Main)"; echo "$out"
  grep -qx "$expect" <<<"$out" || { echo "FAILED: expected '$expect'"; exit 1; }
done
d="$(kotlin_project)"
echo "== Kotlin consumer on $JDK17"
out="$(run "$d" "$JDK17" com.example.MainKt)"; echo "$out"
grep -qx "$expect" <<<"$out" || { echo "FAILED: expected '$expect'"; exit 1; }
echo "consumer projects OK"
