package io.github.bpfmaps.processor;

import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.write.HeaderWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Collects the maps of a compilation per package and, when it ends, writes each package's C header
 * ({@link HeaderWriter}) to the root of the class output, where {@code clang -I target/classes} finds
 * it. Only with {@code -Abpfmaps.header=true}: a jar does not carry C headers unasked.
 */
final class HeaderFiles {
  /** Processor option: {@code true} writes {@code <package>_maps.h} for every package with maps. */
  static final String OPTION = "bpfmaps.header";

  private final boolean enabled;
  private final Map<String, List<MapModel>> maps = new TreeMap<>();
  private final Map<String, List<Element>> origins = new TreeMap<>();

  HeaderFiles(Map<String, String> options) {
    this.enabled = Boolean.parseBoolean(options.getOrDefault(OPTION, "false"));
  }

  void add(MapModel map, Element record) {
    if (enabled) {
      maps.computeIfAbsent(map.record().packageName(), p -> new ArrayList<>()).add(map);
      origins.computeIfAbsent(map.record().packageName(), p -> new ArrayList<>()).add(record);
    }
  }

  /** Writes the headers of every package seen; called once, in the last round. */
  void writeAll(Filer filer, ErrorReporter reporter) {
    for (Map.Entry<String, List<MapModel>> e : maps.entrySet()) {
      List<MapModel> sorted = new ArrayList<>(e.getValue());
      sorted.sort((a, b) -> a.name().compareTo(b.name()));
      String name = HeaderWriter.fileName(e.getKey());
      List<Element> from = origins.get(e.getKey());
      try {
        FileObject f = filer.createResource(StandardLocation.CLASS_OUTPUT, "", name,
            from.toArray(new Element[0]));
        try (Writer w = f.openWriter()) {
          w.write(HeaderWriter.write(e.getKey(), sorted));
        }
      } catch (IOException | RuntimeException ex) {
        reporter.error(from.get(0), "BpfMapHeader", "cannot write the C header " + name + ": " + ex);
      }
    }
    maps.clear();
    origins.clear();
  }
}
