package io.github.bpfmaps.kotlin

import io.github.bpfmaps.annotations.Pinning
import io.github.bpfmaps.errors.BpfException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.file.Path

/** [readBpfObjectSpec]: a spec read and edited in one block, without the kernel. */
class ReadBpfObjectSpecTest {
    private val flows: Path = Path.of("../samples/src/main/bpf/flows.bpf.o").toAbsolutePath().normalize()

    @Test
    fun blockEditsTheSpecBeforeLoad() {
        val spec = readBpfObjectSpec(flows) {
            map("flows").maxEntries(4).pinning(Pinning.NONE)
            program("xdp_flows").autoload(false)
        }
        assertEquals(4, spec.map("flows").maxEntries())
        assertEquals(Pinning.NONE, spec.map("flows").pinning())
        assertFalse(spec.program("xdp_flows").autoload())
        // Without a block the spec is as the file declares it.
        assertEquals(65536, readBpfObjectSpec(flows.toString()).map("flows").maxEntries())
    }

    @Test
    fun anEditNamingAMissingMapFailsInTheBlock() {
        val e = assertThrows<BpfException> { readBpfObjectSpec(flows) { map("nope").maxEntries(1) } }
        assert(e.message!!.contains("flows")) { e.message!! }
    }
}
