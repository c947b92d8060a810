package io.github.bpfmaps.kotlin

import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.runtime.Codec
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import org.jspecify.annotations.NullMarked
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path

/**
 * Compiles small Kotlin sources in-process with kotlin-compiler-embeddable against what a user of
 * this module has on the classpath (runtime, annotations, JSpecify, kotlin-stdlib, this module),
 * found from the jars or directories that hold a class of each.
 */
internal object KotlinSourceCompiler {
    class Result(val ok: Boolean, val messages: String)

    private val classpath: String by lazy {
        listOf(Codec::class.java, MapType::class.java, NullMarked::class.java, Unit::class.java, BpfDsl::class.java)
            .map { File(it.protectionDomain.codeSource.location.toURI()).path }
            .distinct()
            .joinToString(File.pathSeparator)
    }

    /** Compiles [sources] (file name to text) together; the messages name diagnostics by their ids. */
    fun compile(sources: Map<String, String>): Result {
        val dir = Files.createTempDirectory("bpfmaps-kotlinc")
        try {
            val files = sources.map { (name, text) -> dir.resolve(name).also { Files.writeString(it, text) } }
            val out = ByteArrayOutputStream()
            val exit = K2JVMCompiler().exec(
                PrintStream(out, true, Charsets.UTF_8),
                "-no-stdlib", "-no-reflect",
                "-jvm-target", "17",
                "-Xrender-internal-diagnostic-names",
                "-classpath", classpath,
                "-d", dir.resolve("out").toString(),
                *files.map(Path::toString).toTypedArray(),
            )
            return Result(exit.code == 0, out.toString(Charsets.UTF_8))
        } finally {
            dir.toFile().deleteRecursively()
        }
    }
}
