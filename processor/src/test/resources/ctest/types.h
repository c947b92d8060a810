/* The C side of ctest/Types.java, written by hand from DESIGN.md's table. */
#include <stdbool.h>
#include <stdint.h>

enum Kind { EXEC = 0, EXIT = 7, FORK = 2 };
enum Signed { NEG = -1, POS = 1000 };

struct Scalars { int8_t b; uint8_t ub; int16_t s; uint16_t us; uint16_t c; int32_t i; uint32_t ui;
  int64_t l; uint64_t ul; float f; double d; _Bool z; };
struct Net { uint16_t port; uint32_t addr; uint64_t big; uint16_t uport; uint8_t proto; uint16_t ch; };
struct Widths { int8_t a; uint16_t b; int32_t c; uint32_t d; uint8_t e; uint8_t ch; int16_t g; };
struct Enums { enum Kind kind; uint8_t small; int64_t big; enum Kind kinds[3]; int16_t mid; };
struct Strings { char name[5]; int32_t x; char comm[16]; int8_t tail; };
struct Inner { int8_t a; int64_t b; };
struct Arrays { int32_t ints[3]; int8_t bytes[5]; struct Inner inners[2]; uint16_t ports[3];
  uint16_t nets[2]; double ds[2]; _Bool flags[3]; float fs[2]; };
struct Nested { int8_t tag; struct Inner inner; int16_t s; struct Strings strings; };
struct __attribute__((packed)) PackedRec { int8_t a; int64_t b; int16_t c; int32_t d; };
struct __attribute__((aligned(16))) AlignedRec { int8_t a; int32_t b __attribute__((aligned(8)));
  int16_t c; };
struct PaddingRec { int8_t a; uint8_t pad0[3]; int32_t b; uint8_t pad1[2]; int8_t c; int64_t d; };
struct Mixed { int8_t a; struct PackedRec p; struct AlignedRec q; uint16_t c; struct PackedRec ps[2]; };
struct __attribute__((packed)) PackedAligned { int8_t a; int32_t b __attribute__((aligned(4)));
  int8_t c; };
struct Root { struct Scalars scalars; struct Net net; struct Widths widths; struct Enums enums;
  struct Strings strings; struct Arrays arrays; struct Nested nested; struct PackedRec packed_rec;
  struct AlignedRec aligned_rec; struct PaddingRec padding_rec; struct Mixed mixed;
  struct PackedAligned packed_aligned; };
