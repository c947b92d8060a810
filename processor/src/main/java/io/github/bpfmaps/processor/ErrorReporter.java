package io.github.bpfmaps.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/**
 * The one place messages leave the processor. Every message starts with a stable tag
 * ({@code [BpfMapArrayKey]}) so builds and tests can match it, names the offending element, and does
 * not stop processing: the user sees every problem of a compilation at once.
 */
final class ErrorReporter {
  private final Messager messager;
  private int errors;

  ErrorReporter(Messager messager) {
    this.messager = messager;
  }

  void error(Element element, String tag, String message) {
    report(Diagnostic.Kind.ERROR, element, null, null, tag, message);
  }

  void report(
      Diagnostic.Kind kind,
      Element element,
      @Nullable AnnotationMirror annotation,
      @Nullable AnnotationValue value,
      String tag,
      String message) {
    if (kind == Diagnostic.Kind.ERROR) {
      errors++;
    }
    String text = "[" + tag + "] " + message;
    element = positioned(element);
    if (annotation != null && value != null) {
      messager.printMessage(kind, text, element, annotation, value);
    } else if (annotation != null) {
      messager.printMessage(kind, text, element, annotation);
    } else {
      messager.printMessage(kind, text, element);
    }
  }

  /**
   * javac 17 has no source position for a {@code RecordComponentElement} (the message would carry no
   * file or line), but the record's private field of the same name is declared by the same tree, so
   * report there.
   */
  private static Element positioned(Element element) {
    if (element.getKind() != ElementKind.RECORD_COMPONENT) {
      return element;
    }
    for (Element e : element.getEnclosingElement().getEnclosedElements()) {
      if (e.getKind() == ElementKind.FIELD && e.getSimpleName().equals(element.getSimpleName())) {
        return e;
      }
    }
    return element;
  }

  /** Errors reported so far; compare two readings to learn whether a step found any. */
  int errorCount() {
    return errors;
  }
}
