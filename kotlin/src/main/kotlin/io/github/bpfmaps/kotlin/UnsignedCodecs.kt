package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.Codec
import io.github.bpfmaps.runtime.Codecs
import io.github.bpfmaps.spec.Layout
import java.nio.ByteBuffer

// Kotlin's unsigned types as a whole map key or value: the Kotlin twins of Codecs.U8..U64, whose
// Java types (Byte, Short, Integer, Long) would make a Kotlin user convert by hand
// (x.toInt() and 0xffff). A UInt is the same 32 bits as the Int Codecs.U32 writes, so each codec
// writes the bits of its signed twin and reports the twin's layout (__u8..__u64), which is what
// bind compares with the object's BTF. Generated <Record>Map classes use them for a data class's
// UInt/ULong key or value; declare maps with them through BpfMaps / declareHash:
//     declareHash("counts", UIntCodec, ULongCodec) { maxEntries(1024) }.create()

/** `__u8` as [UByte]: one byte, 0..255. Encoding and decoding allocate nothing but the box. */
public object UByteCodec : Codec<UByte> {
    override fun byteSize(): Int = 1

    override fun encode(value: UByte, buf: ByteBuffer, offset: Int) {
        buf.put(offset, value.toByte())
    }

    override fun decode(buf: ByteBuffer, offset: Int): UByte = buf.get(offset).toUByte()

    override fun layout(): Layout? = Codecs.U8.layout()
}

/** `__u16` as [UShort]: two bytes in host order, 0..65535. */
public object UShortCodec : Codec<UShort> {
    override fun byteSize(): Int = 2

    override fun encode(value: UShort, buf: ByteBuffer, offset: Int) {
        buf.putShort(offset, value.toShort())
    }

    override fun decode(buf: ByteBuffer, offset: Int): UShort = buf.getShort(offset).toUShort()

    override fun layout(): Layout? = Codecs.U16.layout()
}

/** `__u32` as [UInt]: four bytes in host order, 0..4294967295. */
public object UIntCodec : Codec<UInt> {
    override fun byteSize(): Int = 4

    override fun encode(value: UInt, buf: ByteBuffer, offset: Int) {
        buf.putInt(offset, value.toInt())
    }

    override fun decode(buf: ByteBuffer, offset: Int): UInt = buf.getInt(offset).toUInt()

    override fun layout(): Layout? = Codecs.U32.layout()
}

/** `__u64` as [ULong]: eight bytes in host order, 0..18446744073709551615. */
public object ULongCodec : Codec<ULong> {
    override fun byteSize(): Int = 8

    override fun encode(value: ULong, buf: ByteBuffer, offset: Int) {
        buf.putLong(offset, value.toLong())
    }

    override fun decode(buf: ByteBuffer, offset: Int): ULong = buf.getLong(offset).toULong()

    override fun layout(): Layout? = Codecs.U64.layout()
}
