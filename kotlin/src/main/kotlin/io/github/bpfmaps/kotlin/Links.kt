package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.BpfLink
import io.github.bpfmaps.runtime.BpfLinks
import io.github.bpfmaps.runtime.BpfObject

/**
 * Links are `AutoCloseable`, so `program.attach().use { ... }` and `obj.attachAll().use { ... }`
 * detach at the end of the block (unless pinned). These helpers add the Kotlin spellings.
 */

/** `links["on_switch"]`: the first link of that program, as [BpfLinks.link]. */
public operator fun BpfLinks.get(program: String): BpfLink = link(program)

/** `"on_switch" in links`: whether one of the links runs that program. */
public operator fun BpfLinks.contains(program: String): Boolean = links().any { it.program() == program }

/**
 * Attaches every program whose section names its hook ([BpfObject.attachAll]), runs [block] with
 * the links, and detaches them all when it returns or throws:
 *
 * ```
 * obj.attachedWhile { links -> Thread.sleep(1000) }
 * ```
 */
public inline fun <R> BpfObject.attachedWhile(block: (BpfLinks) -> R): R = attachAll().use(block)
