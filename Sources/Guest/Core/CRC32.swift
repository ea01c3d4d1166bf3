/// CRC-32 with the reflected polynomial 0xEDB88320, the checksum of GPT headers and entry arrays
/// (UEFI spec §5.3, Linux block/partitions/efi.c `efi_crc32`) and, with another initial value and no
/// final XOR, of LVM2 labels and metadata headers (lvm2 lib/misc/crc.c).
enum CRC32 {
    /// The byte-wise table, built once.
    private static let table: [UInt32] = (0..<256).map { (n: UInt32) -> UInt32 in
        var c = n
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The running register after `bytes`, from `initial` (no pre- or post-inversion).
    static func update(_ initial: UInt32, _ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = initial
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc
    }

    /// The IEEE/zlib CRC-32 (initial and final XOR 0xFFFFFFFF), as GPT stores it.
    static func ieee(_ bytes: some Sequence<UInt8>) -> UInt32 {
        update(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
    }

    /// LVM2's variant: initial value 0xF597A6CF, no final XOR (lvm2 lib/misc/crc.h `INITIAL_CRC`).
    static func lvm(_ bytes: some Sequence<UInt8>) -> UInt32 {
        update(0xF597_A6CF, bytes)
    }
}
