/// The code byte of a cluster, and the side pages of the clusters it does not describe alone.
///
/// Bits 0-4 hold the ``ClusterRole``, always. Bit 7 clear (*direct*): bit 5 is the computed
/// count (0 or 1) and bit 6 says that one active L1/L2 entry naming the cluster had COPIED set;
/// that is every cluster of an image without snapshots or damage, during the scan and after.
/// Bit 7 set (*escaped*): bits 5-6 are the cluster's ``CopiedNote`` and the count is the low byte
/// in ``ClusterMap/lowPages`` plus the higher bits in ``ClusterMap/highPages``. Code 0 is a
/// cluster nothing has counted, claimed or noted. A cluster never goes back from escaped.
///
/// The scan's COPIED check (`check_oflag_copied`) notes each active reference until the compare
/// pass reads the stored refcount and clears the note.
extension ClusterMap {
    static let roleMask: UInt8 = 0x1F
    /// Direct: the count is 1.
    static let countBit: UInt8 = 0x20
    /// Direct: one active reference with COPIED set.
    static let copiedBit: UInt8 = 0x40
    /// The count lives in the side pages and bits 5-6 are a ``CopiedNote``.
    static let escaped: UInt8 = 0x80
    static let noteShift: UInt8 = 5

    /// What the COPIED check has noted on a cluster's active references.
    enum CopiedNote: UInt8 {
        case none = 0
        /// One active reference, COPIED set.
        case copied = 1
        /// One active reference, COPIED clear.
        case notCopied = 2
        /// More than one: the scan's ``ImageScanner/copiedTallies`` count them.
        case counted = 3
    }

    /// The note of the cluster whose code is `code`.
    @inline(__always)
    static func note(of code: UInt8) -> CopiedNote {
        if code & escaped == 0 { return code & copiedBit != 0 ? .copied : .none }
        return CopiedNote(rawValue: (code >> noteShift) & 3) ?? .counted
    }

    /// The code a first reference stores: `role`, counted `times` (at most ``byteLimit``), with
    /// `note`; escaped unless it is a count of 1 with no note or a COPIED one. An escaped code
    /// needs ``setFirst(_:code:count:)`` to store the count.
    @inline(__always)
    static func firstCode(role: ClusterRole, times: UInt32, note: CopiedNote) -> UInt8 {
        if times == 1, note == .none || note == .copied {
            return role.rawValue | countBit | (note == .copied ? copiedBit : 0)
        }
        return role.rawValue | escaped | note.rawValue << noteShift
    }

    /// Stores the first reference of a cluster nothing has touched (its code is 0): `code` from
    /// ``firstCode(role:times:note:)``, and when it is escaped the count (at most ``byteLimit``).
    @inline(__always)
    func setFirst(_ index: Int, code: UInt8, count: UInt8) {
        codes[index] = code
        if code & Self.escaped != 0 { lowPage(of: index)[index & (Self.pageSize - 1)] = count }
    }

    /// The low count bytes of the page holding `index`, made (zeroed) on first use.
    @inline(__always)
    func lowPage(of index: Int) -> UnsafeMutablePointer<UInt8> {
        if let page = lowPages[index >> Self.pageShift] { return page }
        return makeLowPage(of: index)
    }

    @inline(never)
    private func makeLowPage(of index: Int) -> UnsafeMutablePointer<UInt8> {
        let page = Self.zeroedPage(UInt8.self)
        lowPages[index >> Self.pageShift] = page
        return page
    }

    /// A side page of ``pageSize`` zeros (low bytes or high bits).
    private static func zeroedPage<T: FixedWidthInteger>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        let page = UnsafeMutablePointer<T>.allocate(capacity: pageSize)
        page.initialize(repeating: 0, count: pageSize)
        return page
    }

    /// The count of cluster `index`, whose code is `code`.
    @inline(__always)
    func count(of code: UInt8, at index: Int) -> UInt64 {
        code & Self.escaped == 0 ? UInt64((code & Self.countBit) >> 5) : escapedCount(at: index)
    }

    /// The count of an escaped cluster.
    @inline(__always)
    func escapedCount(at index: Int) -> UInt64 {
        let p = index >> Self.pageShift
        let slot = index & (Self.pageSize - 1)
        guard let low = lowPages[p] else { return 0 }
        guard let high = highPages[p] else { return UInt64(low[slot]) }
        return UInt64(low[slot]) | UInt64(high[slot]) << 8
    }

    /// Makes cluster `index` escaped (its count and note move to the side pages' form); returns
    /// the new code.
    @inline(never)
    func escape(_ index: Int) -> UInt8 {
        let code = codes[index]
        guard code & Self.escaped == 0 else { return code }
        let escapedCode = (code & Self.roleMask) | Self.escaped | Self.note(of: code).rawValue << Self.noteShift
        lowPage(of: index)[index & (Self.pageSize - 1)] = UInt8(truncatingIfNeeded: count(of: code, at: index))
        codes[index] = escapedCode
        return escapedCode
    }

    /// Adds `times` to the count of cluster `index`, saturating at ``counterMax``; returns how
    /// many references did not fit (QEMU counts each as an overflow corruption).
    @inline(__always)
    func add(_ times: UInt64, at index: Int) -> UInt64 {
        let code = codes[index]
        // The usual case: a first count of 1 on a direct cluster.
        if code & Self.escaped == 0 {
            if times == 1, code & Self.countBit == 0 {
                codes[index] = code | Self.countBit
                return 0
            }
        } else if let low = lowPages[index >> Self.pageShift], highPages[index >> Self.pageShift] == nil {
            // A shared cluster whose count stays in its low byte.
            let slot = index & (Self.pageSize - 1)
            let value = UInt64(low[slot]) + times
            if value <= byteLimit {
                low[slot] = UInt8(truncatingIfNeeded: value)
                return 0
            }
        }
        return addEscaped(times, at: index)
    }

    @inline(never)
    private func addEscaped(_ times: UInt64, at index: Int) -> UInt64 {
        let current = computedRefcount(at: index)
        let fits = min(times, counterMax - min(current, counterMax))
        let value = current + fits
        if codes[index] & Self.escaped == 0, value <= 1 {
            codes[index] = codes[index] & ~Self.countBit | (value == 1 ? Self.countBit : 0)
            return times - fits
        }
        _ = escape(index)
        let p = index >> Self.pageShift
        let slot = index & (Self.pageSize - 1)
        lowPage(of: index)[slot] = UInt8(truncatingIfNeeded: value)
        if value > 0xFF || highPages[p] != nil {
            let page = highPages[p] ?? {
                let h = Self.zeroedPage(UInt32.self)
                highPages[p] = h
                return h
            }()
            page[slot] = UInt32(truncatingIfNeeded: value >> 8)
        }
        return times - fits
    }

    /// The COPIED note of cluster `index`.
    @inline(__always)
    func note(at index: Int) -> CopiedNote { Self.note(of: codes[index]) }

    /// Sets the COPIED note of cluster `index` (escaping it when its code cannot hold `note`).
    @inline(__always)
    func setNote(_ note: CopiedNote, at index: Int) {
        let code = codes[index]
        if code & Self.escaped == 0 {
            guard note == .none || note == .copied else { return setEscapedNote(note, at: index) }
            codes[index] = code & ~Self.copiedBit | (note == .copied ? Self.copiedBit : 0)
        } else {
            codes[index] = code & ~(3 << Self.noteShift) | note.rawValue << Self.noteShift
        }
    }

    @inline(never)
    private func setEscapedNote(_ note: CopiedNote, at index: Int) {
        let escapedCode = escape(index)
        codes[index] = escapedCode & ~(3 << Self.noteShift) | note.rawValue << Self.noteShift
    }

    /// The code of `code` with its COPIED note cleared (the compare pass is done with it).
    @inline(__always)
    static func withoutNote(_ code: UInt8) -> UInt8 {
        code & (code & escaped != 0 ? ~(3 << noteShift) : ~copiedBit)
    }
}
