package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.Bpf
import io.github.bpfmaps.runtime.BpfObject
import io.github.bpfmaps.runtime.LinkType
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path

class LinksTest {
    private fun hooksObject(): Path {
        var dir: Path? = Path.of("").toAbsolutePath()
        while (dir != null && !Files.isDirectory(dir.resolve("runtime/src/test/bpf"))) {
            dir = dir.parent
        }
        return requireNotNull(dir) { "no repository root" }.resolve("runtime/src/test/bpf/attach_hooks.bpf.o")
    }

    @Test
    fun attachAllUseDetachesAtTheEndOfTheBlock() {
        assumeTrue(Bpf.available(), Bpf.unavailableReason())
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/tracing/events/syscalls")), "tracefs not mounted")
        BpfObject.load(hooksObject()).use { obj ->
            val kept = obj.attachAll().use { links ->
                assertEquals(listOf("tp_openat", "raw_sys_enter"), links.map { it.program() })
                assertTrue("raw_sys_enter" in links)
                assertFalse("xdp_a" in links)
                assertEquals(LinkType.RAW_TRACEPOINT, links["raw_sys_enter"].info().type())
                links.links()
            }
            assertTrue(kept.all { it.isClosed() })

            val raw = obj.program("raw_sys_enter").attach().use { link ->
                assertEquals("sys_enter", link.info().tracepoint())
                link
            }
            assertTrue(raw.isClosed())

            val inside = obj.attachedWhile { links -> links.size() }
            assertEquals(2, inside)
        }
    }
}
