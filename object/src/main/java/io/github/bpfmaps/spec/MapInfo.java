package io.github.bpfmaps.spec;

import io.github.bpfmaps.annotations.MapType;
import org.jspecify.annotations.Nullable;

/**
 * What the kernel says about a map ({@code struct bpf_map_info}, {@code include/uapi/linux/bpf.h}),
 * as read by {@code BPF_OBJ_GET_INFO_BY_FD}.
 *
 * @param type the map type, or null if this library does not know the kernel's number
 * @param typeId the kernel's map type number
 * @param id the map's system-wide id (what {@code bpftool map show id N} takes)
 * @param keySize key size in bytes
 * @param valueSize value size in bytes (per CPU for per-CPU maps)
 * @param maxEntries {@code max_entries}
 * @param flags {@code map_flags}
 * @param name the kernel's name (at most 15 bytes)
 * @param btfId the id of the map's BTF, 0 if none
 */
public record MapInfo(
    @Nullable MapType type,
    int typeId,
    int id,
    int keySize,
    int valueSize,
    int maxEntries,
    int flags,
    String name,
    int btfId) {}
