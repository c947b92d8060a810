package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.BpfObject
import io.github.bpfmaps.runtime.Codecs
import io.github.bpfmaps.runtime.MapFd
import io.github.bpfmaps.spec.MapSpec
import io.github.bpfmaps.runtime.maps.BpfHashMap
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import io.github.bpfmaps.annotations.MapType

/** A handle class shaped as the processor generates them, whose bind only records its argument. */
class FakeFlowsMap private constructor(fd: MapFd) :
    BpfHashMap<Int, Long>(fd, SPEC, Codecs.U32, Codecs.U64) {
    companion object {
        val SPEC: MapSpec = MapSpec.of("flows", MapType.HASH, 4, 8, 16, 0)

        class Bound(val obj: BpfObject) : RuntimeException("bound")

        @JvmStatic
        fun bind(obj: BpfObject): FakeFlowsMap = throw Bound(obj)
    }
}

/** Not generated: has no bind. */
class NotGenerated private constructor(fd: MapFd) : BpfHashMap<Int, Long>(fd, FakeFlowsMap.SPEC, Codecs.U32, Codecs.U64)

class LookupsTest {
    /**
     * A BpfObject without loading anything: allocated without a constructor, since the lookup only
     * passes it on to bind. (Against a loaded object this comes with the loader's tests.)
     */
    private fun someObject(): BpfObject {
        val unsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe")
            .apply { isAccessible = true }.get(null)
        return unsafe.javaClass.getMethod("allocateInstance", Class::class.java)
            .invoke(unsafe, BpfObject::class.java) as BpfObject
    }

    @Test
    fun reifiedLookupCallsTheGeneratedStaticBindWithTheObject() {
        val obj = someObject()
        val e = assertThrows<FakeFlowsMap.Companion.Bound> { obj.map<FakeFlowsMap>() }
        assertSame(obj, e.obj)
    }

    @Test
    fun bindMethodIsLookedUpOncePerClass() {
        assertSame(Binders.get(FakeFlowsMap::class.java), Binders.get(FakeFlowsMap::class.java))
    }

    @Test
    fun classWithoutBindIsRefusedWithTheReason() {
        val e = assertThrows<IllegalArgumentException> { someObject().map<NotGenerated>() }
        assertTrue(e.message!!.contains("has no public static NotGenerated bind(BpfObject)"), e.message)
        assertEquals(NoSuchMethodException::class.java, e.cause!!.javaClass)
    }
}
