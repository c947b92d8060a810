package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.internal.CodecSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The runtime helpers that generated codecs call, against the JDK's own encoders. */
class CodecsHelpersTest {
  private static final char[] CHARS = {'a', 'Z', '0', ' ', 'é', 'ß', '€', '中', '\uD83D', '\uDE00',
      '\u0000', '\u007F', '\u0080', '\u07FF', '\u0800', '\uFFFF'};

  private static String randomString(Random r) {
    char[] s = new char[r.nextInt(12)];
    for (int i = 0; i < s.length; i++) {
      s[i] = CHARS[r.nextInt(CHARS.length)];
    }
    return new String(s);
  }

  @Test
  void utf8WritingMatchesTheJdkEncoderIncludingUnpairedSurrogates() {
    Random r = new Random(3);
    for (int k = 0; k < 2000; k++) {
      String s = randomString(r);
      byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
      assertThat(CodecSupport.utf8Length(s)).isEqualTo(jdk.length);
      byte[] out = new byte[jdk.length + 3];
      Arrays.fill(out, (byte) 0x77);
      CodecSupport.putString(ByteBuffer.wrap(out), 0, out.length, s);
      assertThat(Arrays.copyOf(out, jdk.length)).isEqualTo(jdk);
      assertThat(Arrays.copyOfRange(out, jdk.length, out.length)).isEqualTo(new byte[3]);
    }
  }

  @Test
  void stringsAreReadUpToTheFirstNulFromHeapAndDirectBuffers() {
    byte[] bytes = {'c', 'a', 't', 0, 'x', 'y'};
    assertThat(CodecSupport.getString(ByteBuffer.wrap(bytes), 0, 6)).isEqualTo("cat");
    ByteBuffer direct = ByteBuffer.allocateDirect(8);
    direct.put(2, bytes);
    assertThat(CodecSupport.getString(direct, 2, 6)).isEqualTo("cat");
    assertThat(CodecSupport.getString(ByteBuffer.wrap(new byte[] {'a', 'b'}), 0, 2)).isEqualTo("ab");
  }

  @Test
  void networkOrderIsBigEndianWhateverTheBufferOrder() {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      ByteBuffer b = ByteBuffer.allocate(16).order(order);
      CodecSupport.putShortBE(b, 0, (short) 0x1234);
      CodecSupport.putIntBE(b, 2, 0x0a000001);
      CodecSupport.putLongBE(b, 6, 0x0102030405060708L);
      assertThat(Arrays.copyOf(b.array(), 14)).isEqualTo(new byte[] {0x12, 0x34, 10, 0, 0, 1,
          1, 2, 3, 4, 5, 6, 7, 8});
      assertThat(CodecSupport.getShortBE(b, 0)).isEqualTo((short) 0x1234);
      assertThat(CodecSupport.getIntBE(b, 2)).isEqualTo(0x0a000001);
      assertThat(CodecSupport.getLongBE(b, 6)).isEqualTo(0x0102030405060708L);
    }
  }

  @Test
  void rangeChecksAcceptExactlyTheValuesOfTheCField() {
    CodecSupport.checkRange(255, 1, true, "R.c");
    CodecSupport.checkRange(-128, 1, false, "R.c");
    CodecSupport.checkRange(127, 1, false, "R.c");
    CodecSupport.checkRange(4294967295L, 4, true, "R.c");
    CodecSupport.checkRange(Long.MIN_VALUE, 8, false, "R.c");
    assertThrows(BpfValueException.class, () -> CodecSupport.checkRange(256, 1, true, "R.c"));
    assertThrows(BpfValueException.class, () -> CodecSupport.checkRange(-1, 2, true, "R.c"));
    assertThrows(BpfValueException.class, () -> CodecSupport.checkRange(128, 1, false, "R.c"));
    BpfValueException e = assertThrows(BpfValueException.class,
        () -> CodecSupport.checkRange(-129, 1, false, "R.c"));
    assertThat(e).hasMessageThat().contains("R.c = -129 does not fit its 1-byte signed C field "
        + "(-128..127)");
  }

  @Test
  void zeroClearsExactlyTheGivenBytes() {
    byte[] b = new byte[20];
    Arrays.fill(b, (byte) 1);
    CodecSupport.zero(ByteBuffer.wrap(b), 3, 13);
    for (int i = 0; i < b.length; i++) {
      assertThat(b[i]).isEqualTo(i >= 3 && i < 16 ? (byte) 0 : (byte) 1);
    }
  }
}
