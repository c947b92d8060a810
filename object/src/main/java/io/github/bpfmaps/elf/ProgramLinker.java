package io.github.bpfmaps.elf;

import io.github.bpfmaps.elf.BtfExt.CoreRelo;
import io.github.bpfmaps.elf.BtfExt.FuncInfo;
import io.github.bpfmaps.elf.BtfExt.LineInfo;
import io.github.bpfmaps.elf.ParsedObject.CodeSection;
import io.github.bpfmaps.elf.ParsedObject.Function;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import io.github.bpfmaps.spec.ProgramSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The relocation step of loading, as pure functions: given a parsed object, a program and the
 * kernel's handle for each map, produces the instructions {@code BPF_PROG_LOAD} takes. Like libbpf,
 * every subprogram the program reaches (through calls or callback addresses, transitively) is
 * appended once after the program, in the order first reached; call offsets are then relative to
 * the final layout. No system calls, no allocation beyond the result.
 */
public final class ProgramLinker {
  private ProgramLinker() {}

  /**
   * Links a program with map references as file descriptors ({@code BPF_PSEUDO_MAP_FD} and {@code
   * BPF_PSEUDO_MAP_VALUE}).
   *
   * @param mapFd the fd of each map, by {@link io.github.bpfmaps.spec.MapSpec#name()}; called
   *     once per map the program uses; may throw for a map that was not created
   * @throws BpfException if there is no such program, or it uses an extern ({@code __kconfig},
   *     {@code __ksym}, a kfunc), which only a load against the running kernel resolves
   */
  public static LinkedProgram link(ParsedObject object, String program, ToIntFunction<String> mapFd) {
    return link(object, program, mapFd, false, null);
  }

  /**
   * Links a program with map references as file descriptors and its externs as {@code externs}
   * resolved them.
   *
   * @param externs the value of each extern the program refers to, by symbol name
   * @throws BpfException if there is no such program, or an extern's use does not fit its value (a
   *     variable that is called)
   */
  public static LinkedProgram link(ParsedObject object, String program, ToIntFunction<String> mapFd,
      java.util.function.Function<String, ExternValue> externs) {
    return link(object, program, mapFd, false, externs);
  }

  /**
   * Links a program with map references as indices into the {@code fd_array} of {@code
   * BPF_PROG_LOAD} ({@code BPF_PSEUDO_MAP_IDX} and {@code BPF_PSEUDO_MAP_IDX_VALUE}, kernel 5.14+).
   *
   * @param mapIndex the index of each map in the fd array, by name
   */
  public static LinkedProgram linkWithMapIndices(
      ParsedObject object, String program, ToIntFunction<String> mapIndex) {
    return link(object, program, mapIndex, true, null);
  }

  /**
   * An invalid helper id for a call of a {@code __weak} kfunc the kernel lacks: the verifier
   * refuses the call ("invalid func unknown#2002000000") only where it is reachable, as libbpf's
   * {@code POISON_CALL_KFUNC_BASE}; guarded by {@code bpf_ksym_exists()}, it is dead code.
   */
  static final int POISON_CALL_KFUNC_BASE = 2002000000;

  private static LinkedProgram link(ParsedObject object, String program, ToIntFunction<String> mapRef,
      boolean indices, java.util.function.@Nullable Function<String, ExternValue> externs) {
    ProgramSpec spec = object.program(program);
    Map<Function, Integer> placed = new LinkedHashMap<>();
    List<Function> order = new ArrayList<>();
    Function main = object.function(program);
    placed.put(main, 0);
    order.add(main);
    int total = main.count();
    Map<String, Integer> refs = new LinkedHashMap<>();
    Set<String> used = new LinkedHashSet<>();
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Function f = order.get(i);
      CodeSection cs = object.codeSection(f.section());
      byte[] out = new byte[f.count() * Insn.SIZE];
      System.arraycopy(cs.code(), f.start() * Insn.SIZE, out, 0, out.length);
      int base = placed.get(f);
      for (int j = 0; j < f.count(); j++) {
        int secInsn = f.start() + j;
        ProgramReloc r = cs.relocs().get(secInsn);
        int op = Insn.opcode(out, j);
        int targetSection;
        int targetInsn;
        int pseudo;
        if (r != null && (r.kind() == ProgramReloc.Kind.MAP_FD || r.kind() == ProgramReloc.Kind.MAP_VALUE)) {
          int ref = refs.computeIfAbsent(r.mapName(), mapRef::applyAsInt);
          used.add(r.mapName());
          boolean value = r.kind() == ProgramReloc.Kind.MAP_VALUE;
          Insn.setSrcReg(out, j, value
              ? (indices ? Insn.PSEUDO_MAP_IDX_VALUE : Insn.PSEUDO_MAP_VALUE)
              : (indices ? Insn.PSEUDO_MAP_IDX : Insn.PSEUDO_MAP_FD));
          Insn.setImm(out, j, ref);
          Insn.setImm(out, j + 1, value ? (int) r.valueOffset() : 0);
          j++; // the second half of ld_imm64
          continue;
        } else if (r != null && r.kind() == ProgramReloc.Kind.EXTERN) {
          if (externs == null) {
            throw new BpfException("link", program, 0, object.file() + ": program '" + program + "' uses the extern '"
                + r.symbol() + "' (a __kconfig value, __ksym or kfunc), at instruction " + secInsn + " of '"
                + cs.name() + "'; externs are resolved against the running kernel when the object is loaded,"
                + " not by linking alone");
          }
          ExternValue v = externs.apply(r.symbol());
          if (op == Insn.CALL) {
            if (v instanceof ExternValue.BtfId b) {
              Insn.setSrcReg(out, j, Insn.PSEUDO_KFUNC_CALL);
              Insn.setImm(out, j, b.id());
              Insn.setOff(out, j, b.fdArrayIndex());
            } else if (v instanceof ExternValue.Absent) {
              Insn.clearRegs(out, j);
              Insn.setOff(out, j, 0);
              Insn.setImm(out, j, POISON_CALL_KFUNC_BASE + object.externs().indexOf(object.extern(r.symbol())));
            } else {
              throw new BpfException("link", program, 0, object.file() + ": program '" + program + "' calls '"
                  + r.symbol() + "' at instruction " + secInsn + " of '" + cs.name() + "', which is a variable ("
                  + v + "), not a kernel function");
            }
            continue;
          }
          if (v instanceof ExternValue.KconfigSlot k) {
            int ref = refs.computeIfAbsent(k.map(), mapRef::applyAsInt);
            used.add(k.map());
            Insn.setSrcReg(out, j, indices ? Insn.PSEUDO_MAP_IDX_VALUE : Insn.PSEUDO_MAP_VALUE);
            Insn.setImm(out, j, ref);
            Insn.setImm(out, j + 1, k.offset());
          } else if (v instanceof ExternValue.BtfId b) {
            Insn.setSrcReg(out, j, Insn.PSEUDO_BTF_ID);
            Insn.setImm(out, j, b.id());
            Insn.setImm(out, j + 1, b.btfObjFd());
          } else if (v instanceof ExternValue.Address a) {
            Insn.setSrcReg(out, j, 0);
            Insn.setImm(out, j, (int) a.address());
            Insn.setImm(out, j + 1, (int) (a.address() >>> 32));
          } else {
            Insn.setSrcReg(out, j, 0);
            Insn.setImm(out, j, 0);
            Insn.setImm(out, j + 1, 0);
          }
          j++; // the second half of ld_imm64
          continue;
        } else if (r != null) {
          targetSection = r.targetSection();
          targetInsn = r.targetInstruction();
          pseudo = r.kind() == ProgramReloc.Kind.CALL ? Insn.PSEUDO_CALL : Insn.PSEUDO_FUNC;
        } else if (op == Insn.CALL && Insn.srcReg(out, j) == Insn.PSEUDO_CALL) {
          // a call within the section that the compiler resolved itself
          targetSection = f.section();
          targetInsn = secInsn + Insn.imm(out, j) + 1;
          pseudo = Insn.PSEUDO_CALL;
        } else {
          if (op == Insn.LD_IMM64) {
            j++;
          }
          continue;
        }
        Function callee = functionAt(object, f, secInsn, targetSection, targetInsn);
        Integer calleeBase = placed.get(callee);
        if (calleeBase == null) {
          calleeBase = total;
          placed.put(callee, calleeBase);
          order.add(callee);
          total += callee.count();
        }
        int newTarget = calleeBase + (targetInsn - callee.start());
        Insn.setSrcReg(out, j, pseudo);
        Insn.setImm(out, j, newTarget - (base + j + 1));
        if (op == Insn.LD_IMM64) {
          j++;
        }
      }
      chunks.add(out);
    }
    byte[] code = new byte[total * Insn.SIZE];
    int p = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, code, p, c.length);
      p += c.length;
    }
    List<FuncInfo> funcInfo = new ArrayList<>();
    List<LineInfo> lineInfo = new ArrayList<>();
    List<CoreRelo> coreRelos = new ArrayList<>();
    BtfExt ext = object.btfExt();
    if (ext != null) {
      for (Function f : order) {
        String sec = object.codeSection(f.section()).name();
        int shift = placed.get(f) - f.start();
        for (FuncInfo fi : ext.funcInfo(sec)) {
          if (f.contains(fi.instruction())) {
            funcInfo.add(new FuncInfo(fi.instruction() + shift, fi.typeId()));
          }
        }
        for (LineInfo li : ext.lineInfo(sec)) {
          if (f.contains(li.instruction())) {
            lineInfo.add(new LineInfo(li.instruction() + shift, li.fileNameOffset(), li.lineOffset(), li.lineCol()));
          }
        }
        for (CoreRelo cr : ext.coreRelos(sec)) {
          if (f.contains(cr.instruction())) {
            coreRelos.add(new CoreRelo(cr.instruction() + shift, cr.typeId(), cr.accessString(),
                cr.accessStringOffset(), cr.kind()));
          }
        }
      }
    }
    return new LinkedProgram(spec, code, List.copyOf(funcInfo), List.copyOf(lineInfo), List.copyOf(coreRelos),
        List.copyOf(used));
  }

  private static Function functionAt(ParsedObject object, Function from, int insn, int section, int target) {
    CodeSection cs = object.codeSection(section);
    if (cs != null) {
      for (Function g : cs.functions()) {
        if (g.contains(target)) {
          return g;
        }
      }
    }
    throw new BpfObjectFormatException(object.file(),
        object.codeSection(from.section()).name(), "instruction " + insn + " of '" + from.name()
            + "' calls instruction " + target + ", which is not inside any function");
  }
}
