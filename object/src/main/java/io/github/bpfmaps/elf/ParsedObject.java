package io.github.bpfmaps.elf;

import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link ObjectParser} read from one object: maps, programs, global variables, BTF,
 * and per executable section its instructions, functions and classified relocations (what {@link
 * ProgramLinker} needs). Immutable.
 */
public final class ParsedObject {
  /** A function of an executable section: a program, or a subprogram other functions call. */
  public record Function(String name, int section, int start, int count) {
    boolean contains(int insn) {
      return insn >= start && insn < start + count;
    }
  }

  /** The instructions, functions and relocations of one executable section. */
  public record CodeSection(
      int index, String name, byte[] code, List<Function> functions, Map<Integer, ProgramReloc> relocs) {}

  private final String file;
  private final @Nullable Btf btf;
  private final @Nullable BtfExt btfExt;
  private final String license;
  private final int kernelVersion;
  private final List<ObjectMapSpec> maps;
  private final List<GlobalVariable> variables;
  private final List<ProgramSpec> programs;
  private final Map<String, Function> programFunctions;
  private final Map<Integer, CodeSection> code;
  private final List<Extern> externs;

  ParsedObject(
      String file,
      @Nullable Btf btf,
      @Nullable BtfExt btfExt,
      String license,
      int kernelVersion,
      List<ObjectMapSpec> maps,
      List<GlobalVariable> variables,
      List<ProgramSpec> programs,
      Map<String, Function> programFunctions,
      Map<Integer, CodeSection> code,
      List<Extern> externs) {
    this.externs = List.copyOf(externs);
    this.file = file;
    this.btf = btf;
    this.btfExt = btfExt;
    this.license = license;
    this.kernelVersion = kernelVersion;
    this.maps = List.copyOf(maps);
    this.variables = List.copyOf(variables);
    this.programs = List.copyOf(programs);
    this.programFunctions = Map.copyOf(programFunctions);
    this.code = Map.copyOf(code);
  }

  /**
   * The object's externs ({@code __kconfig}, {@code __ksym}, kfuncs): {@code .kconfig} values first,
   * in their map's layout order, then the rest in symbol order. Empty for most objects.
   */
  public List<Extern> externs() {
    return externs;
  }

  /** The extern called {@code name}, or null. */
  public @Nullable Extern extern(String name) {
    for (Extern e : externs) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** The file name the object was read from. */
  public String file() {
    return file;
  }

  /** The object's BTF, or null when it was compiled without {@code -g}. */
  public @Nullable Btf btf() {
    return btf;
  }

  /** The object's {@code .BTF.ext}, or null. */
  public @Nullable BtfExt btfExt() {
    return btfExt;
  }

  /** The {@code license} section's string; empty if absent. */
  public String license() {
    return license;
  }

  /** The {@code version} section's value; 0 if absent. */
  public int kernelVersion() {
    return kernelVersion;
  }

  /** Maps in declaration order: BTF-defined, then legacy, then global data. */
  public List<ObjectMapSpec> maps() {
    return maps;
  }

  /** Global variables of every data section that has a BTF {@code DATASEC}. */
  public List<GlobalVariable> variables() {
    return variables;
  }

  /** Programs in section order, then symbol order. */
  public List<ProgramSpec> programs() {
    return programs;
  }

  /**
   * The program with this (function) name.
   *
   * @throws BpfException if there is none, listing the programs there are
   */
  public ProgramSpec program(String name) {
    return named(programs, ProgramSpec::name, name, "program", "");
  }

  /**
   * The element of {@code items} called {@code name}, or a {@link BpfException} that lists the
   * names there are (and adds {@code hint}).
   */
  public <T> T named(List<T> items, java.util.function.Function<T, String> nameOf, String name, String what,
      String hint) {
    for (T item : items) {
      if (nameOf.apply(item).equals(name)) {
        return item;
      }
    }
    throw new BpfException(what, name, 0, file + " has no " + what + " '" + name + "'" + hint + "; it has "
        + items.stream().map(nameOf).collect(Collectors.joining(", ", "[", "]")));
  }

  /** A copy of a program's own instructions (without subprograms, unrelocated). */
  public byte[] instructions(ProgramSpec program) {
    Function f = function(program.name());
    byte[] sec = code.get(f.section()).code();
    byte[] out = new byte[f.count() * Insn.SIZE];
    System.arraycopy(sec, f.start() * Insn.SIZE, out, 0, out.length);
    return out;
  }

  /** The relocations of a program's own instructions, indices relative to its first instruction. */
  public List<ProgramReloc> relocations(ProgramSpec program) {
    Function f = function(program.name());
    return code.get(f.section()).relocs().values().stream()
        .filter(r -> f.contains(r.instruction()))
        .sorted((a, b) -> Integer.compare(a.instruction(), b.instruction()))
        .map(r -> new ProgramReloc(r.instruction() - f.start(), r.kind(), r.symbol(), r.mapName(),
            r.valueOffset(), r.targetSection(), r.targetInstruction()))
        .toList();
  }

  Function function(String program) {
    Function f = programFunctions.get(program);
    if (f == null) {
      throw new IllegalArgumentException(program);
    }
    return f;
  }

  CodeSection codeSection(int index) {
    return code.get(index);
  }
}
