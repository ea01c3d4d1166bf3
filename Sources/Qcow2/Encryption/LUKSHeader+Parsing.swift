extension LUKSHeader {
    /// Decodes the 592-byte LUKS1 header from `bytes`, which were read at file offset `offset`.
    ///
    /// Throws only when fewer than 592 bytes are given; a wrong magic or version is decoded anyway
    /// and left to ``validate(encryptionLength:)`` so the fields can still be shown.
    ///
    /// `offset + 592` is checked here once: every `offset &+ n` below and in ``validate`` (and
    /// every key slot's `offset &+ n`) has `n < 592`, so none of them can wrap.
    public init(parsing bytes: [UInt8], at offset: UInt64) throws(FormatError) {
        guard bytes.count >= Self.size else {
            throw FormatError(.luksHeader, at: offset, "LUKS header needs \(Self.size) bytes, have \(bytes.count)")
        }
        guard !offset.addingReportingOverflow(UInt64(Self.size)).overflow else {
            throw FormatError(.luksHeader, at: offset, .overflow)
        }
        let r = ByteReader(bytes, baseOffset: offset, structure: .luksHeader)
        func text(_ start: Int, _ count: Int) throws(FormatError) -> RawString {
            RawString(Array(try r.getBytes(at: start, count: count).prefix { $0 != 0 }))
        }
        var slots: [LUKSKeySlot] = []
        for index in 0..<Self.keySlotCount {
            let at = Self.keySlotsOffset + index * Self.keySlotSize
            slots.append(LUKSKeySlot(
                index: index, offset: offset &+ UInt64(at),
                state: try r.getU32(at: at), iterations: try r.getU32(at: at + 4),
                salt: try r.getBytes(at: at + 8, count: 32),
                keyMaterialOffsetSectors: try r.getU32(at: at + 40), stripes: try r.getU32(at: at + 44)))
        }
        self.init(
            offset: offset, magic: try r.getBytes(at: 0, count: 6), version: try r.getU16(at: 6),
            cipherName: try text(8, 32), cipherMode: try text(40, 32), hashSpec: try text(72, 32),
            payloadOffsetSectors: try r.getU32(at: 104), keyBytes: try r.getU32(at: 108),
            masterKeyDigest: try r.getBytes(at: 112, count: 20), masterKeyDigestSalt: try r.getBytes(at: 132, count: 32),
            masterKeyDigestIterations: try r.getU32(at: 164), uuid: try text(168, 40), keySlots: slots)
    }

    /// What QEMU's `qcrypto_block_luks_check_header` would refuse, and what LUKS says cannot be,
    /// as findings. `encryptionLength` is the encryption header pointer's length in bytes.
    public func validate(encryptionLength: UInt64) -> [Finding] {
        var out: [Finding] = []
        func add(_ s: Finding.Severity, _ at: UInt64, _ m: String, kind: Finding.Kind? = nil) {
            out.append(Finding(s, .luksHeader, at: at, m, kind: kind))
        }
        if !hasValidMagic {
            add(.error, offset, "bad LUKS magic \(RawString.escape(magic)) (expected LUKS\\xba\\xbe)")
        }
        if version != Self.supportedVersion { add(.error, offset &+ 6, "LUKS version \(version), QEMU reads only 1") }
        if qemuCipherAlgorithm == nil {
            add(.error, offset &+ 8, "cipher \"\(cipherName.escaped)\" with \(keyBytes) key bytes is not one QEMU knows")
        }
        if parsedMode == nil { add(.error, offset &+ 40, "cipher mode \"\(cipherMode.escaped)\" is not one QEMU knows") }
        if qemuHashAlgorithm == nil { add(.error, offset &+ 72, "hash \"\(hashSpec.escaped)\" is not one QEMU knows") }
        if payloadOffset > encryptionLength {
            add(.warning, offset &+ 104, "payload offset \(payloadOffset) lies past the \(encryptionLength)-byte encryption header")
        }
        if !keySlots.contains(where: \.isActive) { add(.warning, offset &+ 208, "no key slot is active: no passphrase can open this image") }
        let headerSectors = (UInt64(Self.size) + Self.sectorSize - 1) / Self.sectorSize
        for slot in keySlots {
            let name = "key slot \(slot.index)"
            if !slot.hasKnownState {
                add(.error, slot.offset, "\(name) state \(hex(UInt64(slot.state))) is neither active (0xac71f3) nor inactive (0xdead)")
            }
            if slot.stripes != Self.standardStripes {
                add(.warning, slot.offset &+ 44, "\(name) has \(slot.stripes) stripes; QEMU requires 4000")
            }
            if UInt64(slot.keyMaterialOffsetSectors) < headerSectors {
                add(.error, slot.offset &+ 40, "\(name) key material at sector \(slot.keyMaterialOffsetSectors) overlaps the LUKS header")
            }
            // keyOffset < 2^41 and the length < 2^64, but both from the file: their sum can wrap.
            let (end, overflow) = slot.keyOffset.addingReportingOverflow(slot.keyMaterialLength(keyBytes: keyBytes))
            if overflow {
                add(.error, slot.offset &+ 40, "\(name) key material end overflows 64 bits (\(keyBytes) key bytes × \(slot.stripes) stripes)",
                    kind: .overflow)
            } else if end > encryptionLength || end > payloadOffset {
                add(.error, slot.offset &+ 40, "\(name) key material ends at \(end), past the payload offset (\(payloadOffset)) or the encryption header (\(encryptionLength) bytes)")
            }
        }
        return out
    }
}
