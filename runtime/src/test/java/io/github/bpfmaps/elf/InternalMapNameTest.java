package io.github.bpfmaps.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InternalMapNameTest {
  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource({
    "global_config, .rodata, global_c.rodata",
    "global_config, .bss, global_c.bss",
    "events, .bss, events.bss",
    "xdpdump_xdp, .data, xdpdump_.data",
    "x, .data, x.data",
    "global_config, .data.stats, .data.stats",
    "global_config, .rodata.str1.1, .rodata.str1.1",
    "global_config, .data.a_very_long_name, .data.a_very_lo",
    "my-prog, .data, my_prog.data",
  })
  void globalDataMapsAreNamedAsLibbpfNamesThem(String object, String section, String name) {
    assertEquals(name, ObjectParser.internalMapName(object, section));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"xdp_counter.bpf.o, xdp_counter", "xdp-dispatcher.o, xdp-dispatcher", "plain, plain"})
  void theObjectNameIsTheFileNameUpToItsFirstDot(String file, String name) {
    assertEquals(name, ObjectParser.objectName(file));
  }
}
