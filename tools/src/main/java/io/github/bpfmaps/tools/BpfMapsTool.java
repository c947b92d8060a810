package io.github.bpfmaps.tools;

import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.errors.BpfException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * The {@code bpfmaps-tools} command line.
 *
 * <pre>
 * java -jar bpfmaps-tools.jar gen --object x.bpf.o --package com.example.maps --out src/main/java [--no-object-attribute]
 * </pre>
 *
 * <p>{@code gen} writes a Java record per map of the object ({@link RecordGenerator}) under
 * {@code out}, in the package's directories, and lists the maps it skipped and why. Exit status 0
 * on success, 1 when the object cannot be read or files cannot be written, 2 for a usage error.
 */
public final class BpfMapsTool {
  private BpfMapsTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
      help(out);
      return 0;
    }
    if (args.length > 1 && args[0].equals("gen") && (args[1].equals("--help") || args[1].equals("-h"))) {
      help(out);
      return 0;
    }
    if (args.length == 0 || !args[0].equals("gen")) {
      return usage(err, args.length == 0 ? "no command" : "unknown command '" + args[0] + "'");
    }
    String object = null;
    String pkg = null;
    String dir = null;
    boolean objectAttribute = true;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--no-object-attribute")) {
        objectAttribute = false;
      } else if (i + 1 < args.length && (a.equals("--object") || a.equals("--package") || a.equals("--out"))) {
        String v = args[++i];
        if (a.equals("--object")) {
          object = v;
        } else if (a.equals("--package")) {
          pkg = v;
        } else {
          dir = v;
        }
      } else {
        return usage(err, "unexpected argument '" + a + "'");
      }
    }
    if (object == null || pkg == null || dir == null) {
      return usage(err, "gen needs --object, --package and --out");
    }
    Path objectPath = Paths.get(object);
    RecordGenerator.Output o;
    try {
      o = RecordGenerator.generate(ObjectParser.read(objectPath), objectPath.getFileName().toString(), pkg, objectAttribute);
    } catch (BpfException e) {
      err.println("bpfmaps-tools: " + e.getMessage());
      return 1;
    }
    Path target = Paths.get(dir).resolve(pkg.replace('.', '/'));
    try {
      Files.createDirectories(target);
      for (Map.Entry<String, String> f : o.files().entrySet()) {
        Path p = target.resolve(f.getKey() + ".java");
        Files.writeString(p, f.getValue());
        out.println("wrote " + p);
      }
    } catch (IOException e) {
      err.println("bpfmaps-tools: cannot write " + target + ": " + e);
      return 1;
    }
    for (String s : o.skipped()) {
      err.println("skipped " + s);
    }
    return 0;
  }

  private static final String USAGE = "usage: java -jar bpfmaps-tools.jar gen --object x.bpf.o"
      + " --package com.example.maps --out src/main/java [--no-object-attribute]";

  private static int usage(PrintStream err, String problem) {
    err.println("bpfmaps-tools: " + problem);
    err.println(USAGE);
    err.println("(--help for more)");
    return 2;
  }

  private static void help(PrintStream out) {
    out.println(USAGE);
    out.println();
    out.println("gen writes a Java record per map of a compiled BPF object, from its BTF: a record per");
    out.println("C struct, an enum per C enum, with @CName, @Padding, @Unsigned, @NetworkOrder and @Size");
    out.println("where C needs them. Maps it cannot express are listed on standard error, with why.");
    out.println();
    out.println("  --object FILE            the compiled object (clang -g -O2 -target bpf ...)");
    out.println("  --package NAME           the package of the generated files");
    out.println("  --out DIR                the source root; files go to DIR/<package directories>/");
    out.println("  --no-object-attribute    leave object = \"...\" out of each @BpfMap (by default the");
    out.println("                           processor checks the records against the object on every build)");
    out.println("  --help                   this text");
    out.println();
    out.println("Exit status: 0 done, 1 unreadable object or unwritable output, 2 usage error.");
  }
}
