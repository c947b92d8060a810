package io.github.bpfmaps.processor.model;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void mapNamesDefaultToSnakeCase() {
    assertThat(Names.snakeCase("XdpStats")).isEqualTo("xdp_stats");
    assertThat(Names.snakeCase("Flows")).isEqualTo("flows");
    assertThat(Names.snakeCase("HTTPFlows")).isEqualTo("http_flows");
    assertThat(Names.snakeCase("Ipv4Routes")).isEqualTo("ipv4_routes");
    assertThat(Names.snakeCase("TcpRTT")).isEqualTo("tcp_rtt");
  }

  @Test
  void theKernelKeepsFifteenBytesOfAName() {
    assertThat(Names.kernelName("connections_by_process")).isEqualTo("connections_by_");
    assertThat(Names.kernelName("flows")).isEqualTo("flows");
  }

  @Test
  void onlyLettersDigitsUnderscoreAndDotAreValidInMapNames() {
    assertThat(Names.invalidMapNameChar("xdp_stats.v2")).isEqualTo(-1);
    assertThat(Names.invalidMapNameChar("my-map")).isEqualTo(2);
    assertThat(Names.invalidMapNameChar("ma p")).isEqualTo(2);
  }
}
