/// The LUKS1 partition header QEMU stores in a qcow2 image's encryption header clusters (spec,
/// "Full disk encryption header pointer"; layout from the LUKS1 on-disk format, which QEMU's
/// crypto/block-luks.c mirrors). Decoded without any key: nothing here is secret.
///
/// All integers are big-endian. Text fields are fixed-size, NUL-padded ASCII in the format, but
/// they come from the image, so they are kept as ``RawString``.
public struct LUKSHeader: Sendable, Hashable {
    /// Absolute file offset of the header (the encryption header pointer's offset).
    public var offset: UInt64
    /// Bytes 0-5: "LUKS\xba\xbe".
    public var magic: [UInt8]
    /// Bytes 6-7: 1 for LUKS1, the only version QEMU reads.
    public var version: UInt16
    /// Bytes 8-39, e.g. "aes".
    public var cipherName: RawString
    /// Bytes 40-71, e.g. "xts-plain64" or "cbc-essiv:sha256".
    public var cipherMode: RawString
    /// Bytes 72-103, e.g. "sha256".
    public var hashSpec: RawString
    /// Bytes 104-107: where encrypted data would start, in 512-byte sectors from the header.
    /// Unused inside qcow2 (the L2 tables say where data is), but always filled in.
    public var payloadOffsetSectors: UInt32
    /// Bytes 108-111: master key length in bytes (64 for aes-256 in XTS mode: two keys).
    public var keyBytes: UInt32
    /// Bytes 112-131: PBKDF2 digest of the master key.
    public var masterKeyDigest: [UInt8]
    /// Bytes 132-163: salt for that digest.
    public var masterKeyDigestSalt: [UInt8]
    /// Bytes 164-167: PBKDF2 iterations for that digest.
    public var masterKeyDigestIterations: UInt32
    /// Bytes 168-207: the UUID as NUL-terminated text.
    public var uuid: RawString
    /// Bytes 208-591: the eight key slots.
    public var keySlots: [LUKSKeySlot]

    /// "LUKS\xba\xbe".
    public static let magic: [UInt8] = [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE]
    /// Bytes of the LUKS1 header proper (the spec: "The first 592 bytes of the header clusters").
    public static let size = 592
    /// The one version QEMU reads.
    public static let supportedVersion: UInt16 = 1
    /// Key slots in a LUKS1 header.
    public static let keySlotCount = 8
    /// Bytes of one key slot.
    public static let keySlotSize = 48
    /// Offset of the first key slot.
    public static let keySlotsOffset = 208
    /// LUKS sectors are 512 bytes whatever the image's cluster size (QEMU's
    /// QCRYPTO_BLOCK_LUKS_SECTOR_SIZE); payload and key material offsets count them.
    public static let sectorSize: UInt64 = 512
    /// The anti-forensic stripes QEMU always writes (QCRYPTO_BLOCK_LUKS_STRIPES).
    public static let standardStripes: UInt32 = 4000

    public var hasValidMagic: Bool { magic == Self.magic }
    /// The payload offset in bytes, as `qemu-img info` prints `payload-offset`.
    public var payloadOffset: UInt64 { UInt64(payloadOffsetSectors) * Self.sectorSize }
}

/// One LUKS1 key slot (48 bytes at 208 + 48 × index).
public struct LUKSKeySlot: Sendable, Hashable {
    public var index: Int
    /// Absolute file offset of the slot.
    public var offset: UInt64
    /// Bytes 0-3: ``activeMarker`` or ``inactiveMarker``; anything else is damage.
    public var state: UInt32
    /// Bytes 4-7: PBKDF2 iterations for the passphrase.
    public var iterations: UInt32
    /// Bytes 8-39.
    public var salt: [UInt8]
    /// Bytes 40-43: where this slot's key material starts, in 512-byte sectors from the start of
    /// the LUKS header (spec: "relative to the start of the LUKS header clusters").
    public var keyMaterialOffsetSectors: UInt32
    /// Bytes 44-47: anti-forensic stripes (4000 as QEMU writes them).
    public var stripes: UInt32

    public static let activeMarker: UInt32 = 0x00AC_71F3
    public static let inactiveMarker: UInt32 = 0x0000_DEAD

    public var isActive: Bool { state == Self.activeMarker }
    /// Whether the state word is one of the two values LUKS defines.
    public var hasKnownState: Bool { state == Self.activeMarker || state == Self.inactiveMarker }
    /// The key material offset in bytes, as `qemu-img info` prints `key-offset`.
    public var keyOffset: UInt64 { UInt64(keyMaterialOffsetSectors) * LUKSHeader.sectorSize }

    /// Bytes of key material this slot spans: key bytes × stripes, rounded up to a sector.
    public func keyMaterialLength(keyBytes: UInt32) -> UInt64 {
        let raw = UInt64(keyBytes) * UInt64(stripes)
        let sector = LUKSHeader.sectorSize
        return (raw + sector - 1) / sector * sector
    }
}
