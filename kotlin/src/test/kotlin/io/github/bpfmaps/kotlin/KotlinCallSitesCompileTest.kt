package io.github.bpfmaps.kotlin

import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * What Kotlin callers write against the Java API and this module, compiled with the real Kotlin
 * 2.2 compiler: the operator forms compile, `map[key]` is `V?` (from JSpecify `@Nullable` in
 * `@NullMarked` packages, enforced as errors), and the DSL marker keeps nested blocks apart.
 */
class KotlinCallSitesCompileTest {
    private val imports = """
        import io.github.bpfmaps.annotations.MapType
        import io.github.bpfmaps.runtime.*
        import io.github.bpfmaps.runtime.maps.*
        import io.github.bpfmaps.kotlin.*

    """.trimIndent()

    @Test
    fun operatorFormsAndDslBlocksCompile() {
        val result = KotlinSourceCompiler.compile(mapOf("Ops.kt" to imports + """
            fun ops(map: BpfHashMap<Int, Long>, pc: BpfPerCpuHashMap<Int, Long>, q: BpfQueue<Long>) {
                map[1] = 2L
                val maybe: Long? = map[1]
                val sure: Long = map[1] ?: 0L
                val present: Boolean = 1 in map
                val absent: Boolean = 2 !in map
                for ((k, v) in map) { val kk: Int = k; val vv: Long = v }
                map.forEachEntry { k, v -> println("${'$'}k ${'$'}v") }
                val (cpu0, cpu1) = pc[0]!!
                val total: Long = pc[0]?.sumOf { it } ?: 0L
                map += 3 to 4L
                map -= 3
                val d: Long = map.getOrElse(9) { 0L }
                val e: Sequence<Pair<Int, Long>> = map.entrySequence()
                val popped: Long? = q.pop()
                val drained: List<Long> = q.popSequence().toList()
                map.use { it.keys() }
            }

            fun dsl() {
                val options = loadOptions {
                    pinRoot("/sys/fs/bpf/app")
                    reuse("flows").pinned("/sys/fs/bpf/flows")
                    reuse("stats") { id(42) }
                    constant("cfg", 1)
                }
                LoadOptions().configure { logLevel(1) }
                val counts: BpfMaps.Declared<BpfKeyedMap<Int, Long>> =
                    declareMap("counts") { type(MapType.HASH); maxEntries(1024) }.of(Codecs.U32, Codecs.U64)
                val hash: BpfMaps.Declared<BpfHashMap<Int, Long>> =
                    declareHash("h", Codecs.U32, Codecs.U64) { maxEntries(16) }
                val javaStyle = BpfMaps.declare("counts") { it.type(MapType.HASH).maxEntries(1024).flags(0) }
                    .key(Codecs.U32).value(Codecs.U64)
            }
        """.trimIndent()))
        assertTrue(result.ok, result.messages)
    }

    @Test
    fun nullableGetAndDslScopeMistakesAreCompileErrors() {
        val result = KotlinSourceCompiler.compile(mapOf(
            "Deref.kt" to imports + """
                fun deref(map: BpfHashMap<Int, Long>): Long = map[1].plus(1)
            """.trimIndent(),
            "Assign.kt" to imports + """
                fun assign(map: BpfHashMap<Int, Long>) { val v: Long = map[1] }
            """.trimIndent(),
            "StoreNull.kt" to imports + """
                fun storeNull(map: BpfHashMap<Int, Long>) { map[1] = null }
            """.trimIndent(),
            "Scope.kt" to imports + """
                val options = loadOptions { reuse("flows") { pinRoot("/sys/fs/bpf/app") } }
            """.trimIndent(),
        ))
        assertFalse(result.ok, "expected compile errors")
        val m = result.messages
        assertError(m, "Deref.kt", "UNSAFE_CALL")
        assertError(m, "Assign.kt", "INITIALIZER_TYPE_MISMATCH")
        assertError(m, "StoreNull.kt", "NULL_FOR_NONNULL_TYPE")
        assertError(m, "Scope.kt", "DSL_SCOPE_VIOLATION")
    }

    /**
     * Array handles name their `int`-index forms `getAt`/`setAt` (as Kotlin's own `removeAt`), so
     * `arr[i]` resolves to the one inherited `get(K)`: with a `get(int)` overload next to it, both
     * would be `get(Int)` to Kotlin and the call ambiguous.
     */
    @Test
    fun arrayIndexOperatorsResolveOnArrayAndPerCpuArrayHandles() {
        val result = KotlinSourceCompiler.compile(mapOf(
            "ArrayIndex.kt" to imports + """
                fun read(arr: BpfArrayMap<Long>, pc: BpfPerCpuArrayMap<Long>): Long {
                    arr[0] = 5L
                    val v: Long? = arr[0]
                    val fast: Long = arr.getLongAt(1, -1L)
                    arr.setAt(2, 7L)
                    val present = 3 in arr
                    val perCpu: Long = pc[0]?.sumOf { it } ?: 0L
                    return (v ?: 0L) + fast + perCpu
                }
            """.trimIndent(),
        ))
        assertTrue(result.ok, result.messages)
    }

    /**
     * Arrays have no deleting operation at all, in their type: `arr -= i`, `arr.remove(i)` and
     * `arr.drain()` do not compile (nothing deprecated, nothing that throws at run time), and a map
     * of maps takes no raw fd number.
     */
    @Test
    fun deletingFromAnArrayOrStoringARawFdIsACompileError() {
        val result = KotlinSourceCompiler.compile(mapOf(
            "ArrayMinus.kt" to imports + """
                fun remove(arr: BpfArrayMap<Long>) { arr -= 1 }
            """.trimIndent(),
            "PerCpuArrayMinus.kt" to imports + """
                fun remove(pc: BpfPerCpuArrayMap<Long>) { pc -= 1 }
            """.trimIndent(),
            "ArrayRemove.kt" to imports + """
                fun remove(arr: BpfArrayMap<Long>): Boolean = arr.remove(1)
            """.trimIndent(),
            "ArrayDrain.kt" to imports + """
                fun drain(arr: BpfArrayMap<Long>) = arr.drain()
            """.trimIndent(),
            "RawFd.kt" to imports + """
                fun store(outer: BpfHashOfMaps<Int>) { outer.set(1, 5) }
            """.trimIndent(),
        ))
        assertFalse(result.ok, "expected compile errors")
        val m = result.messages
        for (file in listOf("ArrayMinus.kt", "PerCpuArrayMinus.kt", "ArrayRemove.kt", "ArrayDrain.kt", "RawFd.kt")) {
            assertTrue(m.lines().any { file in it && "error:" in it }, "no error in $file; compiler said:\n$m")
        }
        assertError(m, "ArrayRemove.kt", "UNRESOLVED_REFERENCE")
        assertError(m, "ArrayDrain.kt", "UNRESOLVED_REFERENCE")
    }

    /** What the previous test refuses, the deleting handles and maps of maps accept. */
    @Test
    fun deletingFromAHashAndStoringAnInnerHandleCompile() {
        val result = KotlinSourceCompiler.compile(mapOf(
            "HashRemove.kt" to imports + """
                fun remove(h: BpfHashMap<Int, Long>, arr: BpfArrayMap<Long>, outer: BpfHashOfMaps<Int>,
                           outerArr: BpfArrayOfMaps) {
                    h -= 1
                    val removed: Boolean = h.remove(2)
                    val drained: Map<Int, Long> = h.drain()
                    outer.set(1, arr)
                    outer.set(2, arr.fd())
                    outerArr.setAt(0, arr)
                    val id: Int? = outerArr[0]
                    arr.clear()
                }
            """.trimIndent(),
        ))
        assertTrue(result.ok, result.messages)
    }

    private fun assertError(messages: String, file: String, id: String) {
        val line = messages.lines().firstOrNull { file in it && "error:" in it && id in it }
        assertTrue(line != null, "no $id error in $file; compiler said:\n$messages")
    }
}
