package io.github.bpfmaps.processor;

import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.write.HeaderWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;
import org.jspecify.annotations.Nullable;

/**
 * Collects the maps of a compilation per package and, when it ends, writes each package's C header
 * ({@link HeaderWriter}): into {@code -Abpfmaps.headerDir=<dir>} when given (Maven:
 * {@code ${project.build.directory}/generated-sources/bpf-headers}, then {@code clang -I} that
 * directory), else with {@code -Abpfmaps.header=true} at the root of the generated-sources output
 * ({@code target/generated-sources/annotations}). Never into the class output: a C header has no
 * place in the jar.
 */
final class HeaderFiles {
  /** Processor option: {@code true} writes {@code <package>_maps.h} for every package with maps. */
  static final String OPTION = "bpfmaps.header";

  /** Processor option: the directory to write the headers to (created if missing); implies {@link #OPTION}. */
  static final String DIR_OPTION = "bpfmaps.headerDir";

  private final @Nullable Path dir;

  private final boolean enabled;
  private final Map<String, List<MapModel>> maps = new TreeMap<>();
  private final Map<String, List<Element>> origins = new TreeMap<>();

  HeaderFiles(Map<String, String> options) {
    String d = options.get(DIR_OPTION);
    this.dir = d == null || d.isBlank() ? null : Path.of(d);
    this.enabled = dir != null || Boolean.parseBoolean(options.getOrDefault(OPTION, "false"));
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
        String text = HeaderWriter.write(e.getKey(), sorted);
        if (dir != null) {
          Files.createDirectories(dir);
          Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } else {
          FileObject f = filer.createResource(StandardLocation.SOURCE_OUTPUT, "", name,
              from.toArray(new Element[0]));
          try (Writer w = f.openWriter()) {
            w.write(text);
          }
        }
      } catch (IOException | RuntimeException ex) {
        reporter.error(from.get(0), "BpfMapHeader", "cannot write the C header " + name + ": " + ex);
      }
    }
    maps.clear();
    origins.clear();
  }
}
