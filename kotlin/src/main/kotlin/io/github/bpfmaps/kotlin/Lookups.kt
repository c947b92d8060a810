package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.BpfObject
import io.github.bpfmaps.runtime.maps.BpfMapHandle
import java.lang.invoke.MethodHandle
import java.lang.invoke.MethodHandles
import java.lang.invoke.MethodType

/**
 * The map of this object that the generated handle class [M] describes, as `M.bind(object)`:
 * `val stats = obj.map<XdpStatsMap>()`. The result is a new handle (a duplicate of the object's fd,
 * checked against `M.SPEC`) that the caller closes.
 *
 * The static `bind` is found by reflection once per class and cached.
 *
 * @throws IllegalArgumentException when [M] has no `public static M bind(BpfObject)`, that is, it
 *     is not a handle class generated from a `@BpfMap` record
 */
public inline fun <reified M : BpfMapHandle> BpfObject.map(): M = bindHandle(this, M::class.java)

/** The cached `bind(BpfObject)` of [type], called on [obj]; the non-inline half of [map]. */
@PublishedApi
internal fun <M : BpfMapHandle> bindHandle(obj: BpfObject, type: Class<M>): M =
    type.cast(Binders.get(type).invoke(obj))

/** `bind(BpfObject)` method handles by generated class, computed once per class. */
internal object Binders : ClassValue<MethodHandle>() {
    override fun computeValue(type: Class<*>): MethodHandle {
        val handle = try {
            MethodHandles.publicLookup().findStatic(type, "bind", MethodType.methodType(type, BpfObject::class.java))
        } catch (e: ReflectiveOperationException) {
            throw IllegalArgumentException(
                "${type.name} has no public static ${type.simpleName} bind(BpfObject); " +
                    "obj.map<T>() takes a handle class generated from a @BpfMap record", e,
            )
        }
        return handle.asType(MethodType.methodType(Any::class.java, BpfObject::class.java))
    }
}
