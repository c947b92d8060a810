package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.LoadOptions
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.file.Path

class LoadOptionsDslTest {
    @Test
    fun blockBecomesAConsumerThatSetsEveryOption() {
        val consumer = loadOptions {
            pinRoot("/sys/fs/bpf/app")
            reuse("flows").pinned("/sys/fs/bpf/flows")
            reuse("stats") { id(42) }
            constant("cfg", 1)
            constant("comm", "nginx")
            logLevel(1)
            logSize(4096)
        }
        val options = LoadOptions()
        consumer.accept(options)

        assertEquals(Path.of("/sys/fs/bpf/app"), options.pinRoot())
        assertEquals(Path.of("/sys/fs/bpf/flows"), options.reuses().getValue("flows").pinned())
        assertEquals(42, options.reuses().getValue("stats").id())
        assertArrayEquals(byteArrayOf(1, 0, 0, 0, 0, 0, 0, 0), options.constants().getValue("cfg"))
        assertArrayEquals("nginx".toByteArray(), options.constants().getValue("comm"))
        assertEquals(1, options.logLevel())
        assertEquals(4096, options.logSize())
    }

    @Test
    fun intAndLongConstantsAreStoredAlike() {
        val a = LoadOptions().configure { constant("x", 0x0102) }
        val b = LoadOptions().configure { constant("x", 0x0102L) }
        assertArrayEquals(b.constants().getValue("x"), a.constants().getValue("x"))
    }

    @Test
    fun configureAppliesToTheGivenOptionsAndReturnsThem() {
        val options = LoadOptions()
        assertSame(options, options.configure { pinRoot(Path.of("/sys/fs/bpf/x")) })
        assertEquals(Path.of("/sys/fs/bpf/x"), options.pinRoot())
    }

    @Test
    fun invalidValuesFailAsTheJavaBuilderDoes() {
        val e = assertThrows<IllegalArgumentException> { LoadOptions().configure { logLevel(3) } }
        assertEquals("log level must be 0, 1 or 2, got 3", e.message)
    }
}
