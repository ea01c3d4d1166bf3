import Qcow2

/// The keys `qemu-img info --output=json` prints (QEMU 7.2: ImageInfo from `bdrv_query_image_info`,
/// ImageInfoSpecificQCow2 from `qcow2_get_specific_info`), with QEMU's presence rules, values and
/// key order, checked against real qemu-img output by the oracle tests.
extension InfoReport {
    /// Only the keys qemu-img prints, in its order.
    public func qemuJSON() -> JSONValue { jsonObject(qemuPairs) }

    /// qemu-img's top-level keys. Absent keys are nil, so `jsonObject` drops them as QEMU does.
    var qemuPairs: [(String, JSONValue?)] {
        guard let image else {
            // A raw layer: QEMU's raw driver has no cluster size and no format-specific data.
            return [("virtual-size", .uint(virtualSize)), ("filename", .string(filename)), ("format", .string(format)),
                    ("actual-size", actualSize.map(JSONValue.uint)), ("dirty-flag", .bool(false))]
        }
        let header = image.header
        let backing = image.backingFileName.map { RawString(Array($0.bytes.prefix { $0 != 0 })).string }
        return [
            ("snapshots", snapshots.isEmpty ? nil : .array(snapshots.map(Self.qemuSnapshot))),
            ("backing-filename-format", backing == nil ? nil : image.backingFormat.map { .string($0.string) }),
            ("virtual-size", .uint(header.size)),
            ("filename", .string(filename)),
            ("cluster-size", .uint(header.clusterSize)),
            ("format", .string(format)),
            ("actual-size", actualSize.map(JSONValue.uint)),
            ("format-specific", jsonObject([("type", .string("qcow2")), ("data", qemuFormatSpecific(image))])),
            ("full-backing-filename", image.backingFileName.map { .string(Self.fullBackingName($0, relativeTo: filename)) }),
            ("encrypted", header.cryptMethod != 0 ? .bool(true) : nil),
            ("backing-filename", backing.map(JSONValue.string)),
            ("dirty-flag", .bool(header.isDirty)),
        ]
    }

    /// ImageInfoSpecificQCow2. Version 2 has only compat, compression-type and refcount-bits (and
    /// encrypt); version 3 adds the feature flags, bitmaps (when the autoclear bitmaps bit is set
    /// and there are any), the data file name (when the extension is present) and data-file-raw
    /// (when the external data file bit is set).
    func qemuFormatSpecific(_ image: Qcow2Image) -> JSONValue {
        let h = image.header
        let compression: JSONValue = .string(h.compression?.qemuName ?? "unknown (\(h.compressionType))")
        let encrypt = qemuEncrypt(h)
        guard h.version >= 3 else {
            return jsonObject([("compat", .string("0.10")), ("compression-type", compression),
                               ("refcount-bits", .uint(h.refcountBits)), ("encrypt", encrypt)])
        }
        let visibleBitmaps = h.bitmapsConsistent ? bitmaps : []
        return jsonObject([
            ("compat", .string("1.1")),
            ("compression-type", compression),
            ("lazy-refcounts", .bool(h.hasLazyRefcounts)),
            ("bitmaps", visibleBitmaps.isEmpty ? nil : .array(visibleBitmaps.map(Self.qemuBitmap))),
            ("refcount-bits", .uint(h.refcountBits)),
            ("data-file", image.dataFileName.map { .string(RawString(Array($0.bytes.prefix { $0 != 0 })).string) }),
            ("encrypt", encrypt),
            ("data-file-raw", h.hasExternalDataFile ? .bool(h.dataFileIsRaw) : nil),
            ("corrupt", .bool(h.isCorrupt)),
            ("extended-l2", .bool(h.hasExtendedL2)),
        ])
    }

    /// ImageInfoSpecificQCow2Encryption: {"format": "aes"} for crypt_method 1, the LUKS block info
    /// (QEMU's `qcrypto_block_luks_get_info`) for crypt_method 2.
    func qemuEncrypt(_ h: Header) -> JSONValue? {
        switch h.encryption {
        case .none?, nil: return nil
        case .aes?: return jsonObject([("format", .string("aes"))])
        case .luks?:
            guard let luks else { return jsonObject([("format", .string("luks"))]) }
            let slots: [JSONValue] = luks.keySlots.map { slot in
                jsonObject([
                    ("active", .bool(slot.isActive)),
                    ("iters", slot.isActive ? .uint(UInt64(slot.iterations)) : nil),
                    ("key-offset", .uint(slot.keyOffset)),
                    ("stripes", slot.isActive ? .uint(UInt64(slot.stripes)) : nil),
                ])
            }
            return jsonObject([
                ("ivgen-alg", .string(luks.qemuIVGenAlgorithm ?? luks.cipherMode.string)),
                ("hash-alg", .string(luks.qemuHashAlgorithm ?? luks.hashSpec.string)),
                ("cipher-alg", .string(luks.qemuCipherAlgorithm ?? luks.cipherName.string)),
                ("uuid", .string(luks.uuid.string)),
                ("ivgen-hash-alg", luks.qemuIVGenHashAlgorithm.map(JSONValue.string)),
                ("format", .string("luks")),
                ("cipher-mode", .string(luks.qemuCipherMode ?? luks.cipherMode.string)),
                ("slots", .array(slots)),
                ("payload-offset", .uint(luks.payloadOffset)),
                ("master-key-iters", .uint(UInt64(luks.masterKeyDigestIterations))),
            ])
        }
    }

    /// SnapshotInfo: the clock split into seconds and nanoseconds; icount only when recorded
    /// (extra data long enough and not -1), as QEMU's `bdrv_query_snapshot_info_list`.
    static func qemuSnapshot(_ s: Snapshot) -> JSONValue {
        jsonObject([
            ("icount", s.icount.map(JSONValue.uint)),
            ("vm-clock-nsec", .uint(s.vmClockNanoseconds % 1_000_000_000)),
            ("name", .string(s.name.string)),
            ("date-sec", .uint(UInt64(s.dateSeconds))),
            ("date-nsec", .uint(UInt64(s.dateNanoseconds))),
            ("vm-clock-sec", .uint(s.vmClockNanoseconds / 1_000_000_000)),
            ("id", .string(s.id.string)),
            ("vm-state-size", .uint(s.vmStateSize)),
        ])
    }

    /// Qcow2BitmapInfo: flags without reserved bits ("in-use", "auto"), granularity in bytes.
    static func qemuBitmap(_ b: BitmapDirectoryEntry) -> JSONValue {
        jsonObject([
            ("flags", .array(b.flagNames.map(JSONValue.string))),
            ("name", .string(b.name.string)),
            ("granularity", b.granularity.map(JSONValue.uint)),
        ])
    }
}
