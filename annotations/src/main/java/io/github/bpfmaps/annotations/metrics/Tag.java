package io.github.bpfmaps.annotations.metrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A key component that becomes a tag (a Prometheus label) of every meter the map produces. Key
 * components without {@code @Tag} (and not {@link Bucket}) are summed away: entries that differ
 * only in them add up into one series, as ebpf_exporter does with unlabelled key bytes.
 *
 * <p>How the value is written ({@link Format#AUTO}): enum constants by name (a number no constant
 * has becomes the number), {@code @Size} strings up to the first NUL with non-printable characters
 * escaped as {@code \xNN}, {@code @NetworkOrder int} as a dotted IPv4 address, {@code @Size(4)} and
 * {@code @Size(16) byte[]} as IPv4 and IPv6 addresses, unsigned integers as unsigned decimal, other
 * numbers in decimal. {@link #names()} maps small integers to words as ebpf_exporter's {@code
 * static_map} decoder does.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Tag {
  /** The tag's name ({@code device}, {@code operation}); empty means the component's name. */
  String value() default "";

  /** How the component's value is written. */
  Format format() default Format.AUTO;

  /**
   * Words for the values {@code 0 … names.length - 1} (ebpf_exporter's {@code static_map});
   * other values are written as numbers. Empty: no mapping.
   */
  String[] names() default {};

  /** How a tag value is written. */
  enum Format {
    /** By the component's type, as described on {@link Tag}. */
    AUTO,
    /** Decimal (unsigned where the component is {@code @Unsigned}). */
    NUMBER,
    /** {@code 0x} and lowercase hexadecimal digits. */
    HEX,
    /** An IPv4 address: a 4-byte integer (in network order when {@code @NetworkOrder}) or {@code byte[4]}. */
    IPV4,
    /** An IPv6 address from {@code byte[16]} (RFC 5952 text, as {@link java.net.InetAddress} writes it). */
    IPV6,
    /** A Linux device number {@code major:minor} from a 32-bit {@code dev_t} (ebpf_exporter's {@code majorminor}). */
    MAJOR_MINOR
  }
}
