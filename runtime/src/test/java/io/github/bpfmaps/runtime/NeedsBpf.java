package io.github.bpfmaps.runtime;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * On a test class or method: skip it, with the kernel's reason, where {@code bpf(2)} cannot be used
 * (no CAP_BPF, a seccomp filter, a kernel without BPF). The one such check of every module's tests:
 * the other modules reach it through the runtime's test jar. Inside a test,
 * {@link KernelTests#needBpf()} does the same.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(NeedsBpf.Condition.class)
public @interface NeedsBpf {
  /** Disables the annotated tests where {@link Bpf#available()} is false. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return Bpf.available()
          ? ConditionEvaluationResult.enabled("bpf(2) is available")
          : ConditionEvaluationResult.disabled(Bpf.unavailableReason());
    }
  }
}
